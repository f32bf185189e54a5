/** `convas summary` says where a layer's windows are mostly padding (engine/padding-note.ts); `--json` does not. */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DesignBuilder } from '../../../test/fixtures/build.ts';

const run = (...args: string[]) => spawnSync(process.execPath, ['bin/convas.js', ...args], { encoding: 'utf8', timeout: 120_000 });

describe('summary: windows mostly padding', () => {
  it('a 99×99 kernel with same padding on a 56×56 input: a warning under the table, nothing in --json, exit 0', () => {
    const b = new DesignBuilder('huge kernel');
    b.input([56, 56, 3]);
    b.add('conv2d', { filters: 8, kernelSize: 99, padding: 'same' }, 'in', 'wide');
    const file = join(mkdtempSync(join(tmpdir(), 'convas-pad-')), 'huge.convas.json');
    writeFileSync(file, JSON.stringify(b.design()));
    const text = run('summary', file);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('Warnings (1):\n  wide: Most of each window is padding: 69% of the 99×99 kernel\'s taps fall on the zeros around the 56×56 input');
    const json = run('summary', file, '--json');
    expect(json.status).toBe(0);
    expect(json.stdout).not.toContain('padding:');
    expect(json.stdout).not.toContain('Most of each window');
  }, 120_000);
});
