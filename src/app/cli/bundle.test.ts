/**
 * The built command (scripts/build-cli.mjs, run by `npm ci`) says what the sources say: built afresh into a
 * temporary folder here, never the dist-cli/ a developer may have left behind, and run beside the sources
 * through tsx on the same arguments.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const out = mkdtempSync(join(tmpdir(), 'convas-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const call = (module: string, args: string[], loader: string[] = []) => spawnSync('node', [...loader, '--input-type=module', '-e',
  `const { main } = await import(${JSON.stringify(module)}); process.exitCode = await main(${JSON.stringify(args)});`], { encoding: 'utf8', maxBuffer: 1 << 26 });

describe('the built command', () => {
  it('prints what the sources print: help, a summary as JSON, a refusal', () => {
    const build = spawnSync('node', ['scripts/build-cli.mjs', out], { encoding: 'utf8' });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    const built = pathToFileURL(join(out, 'main.js')).href;
    const source = pathToFileURL(join(process.cwd(), 'src/app/cli/main.ts')).href;
    for (const args of [['--help'], ['summary', 'presets/googlenet.convas.json', '--json'], ['summary', 'no-such.convas.json']]) {
      const a = call(built, args);
      const b = call(source, args, ['--import', 'tsx']);
      expect({ args, out: a.stdout, err: a.stderr, status: a.status }).toEqual({ args, out: b.stdout, err: b.stderr, status: b.status });
      expect(a.stdout.length + a.stderr.length).toBeGreaterThan(0);
    }
  }, 120_000);
});
