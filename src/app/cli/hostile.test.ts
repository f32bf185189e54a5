/**
 * Long graphs through the command line (issue 15): the summary table of a 200,000-node chain (a spread of
 * 200,000 arguments overflowed the stack) and a 10,000-node cycle (every node's message repeated the cycle:
 * 2–4 GB, then a crash) print, in bounded time and memory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Design } from '../../engine/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'convas-long-'));
const hasTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;

/** Runs the CLI (under /usr/bin/time where there is one); its output, exit code and peak memory in MiB. */
function convas(args: string[]) {
  const cmd = hasTime ? ['/usr/bin/time', ['-f', 'peak %M KB', 'node', 'bin/convas.js', ...args]] as const : ['node', ['bin/convas.js', ...args]] as const;
  const t0 = Date.now();
  const r = spawnSync(cmd[0], [...cmd[1]], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const peak = Number(/peak (\d+) KB/.exec(r.stderr)?.[1] ?? NaN) / 1024;
  return { stdout: r.stdout, stderr: r.stderr.replace(/peak \d+ KB\n?$/, ''), code: r.status, ms: Date.now() - t0, peakMiB: peak };
}

describe('long graphs on the command line', () => {
  it('summary prints the table of a 200,000-node chain', () => {
    const nodes: Design['nodes'] = [{ id: 'in', kind: 'input', params: { shape: [8] } }];
    const edges: Design['edges'] = [];
    for (let i = 1; i < 200_000; i++) {
      nodes.push({ id: `n${i}`, kind: 'activation', params: { fn: 'relu' } });
      edges.push({ id: `e${i}`, source: i === 1 ? 'in' : `n${i - 1}`, target: `n${i}` });
    }
    const file = join(dir, 'chain.json');
    writeFileSync(file, JSON.stringify({ format: 'convas.design', version: 1, name: 'chain', nodes, edges }));
    const r = convas(['summary', file]);
    console.log(`summary of a 200,000-node chain: ${r.ms} ms, peak ${r.peakMiB.toFixed(0)} MiB`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /^n\d+ /.test(l))).toHaveLength(199_999);
    if (hasTime) expect(r.peakMiB).toBeLessThan(1024);
  }, 120_000);

  it('summary reports a 10,000-node cycle once, with its length and a few ids', () => {
    const nodes: Design['nodes'] = [{ id: 'in', kind: 'input', params: { shape: [8] } }];
    const edges: Design['edges'] = [{ id: 'e0', source: 'in', target: 'c0' }];
    for (let i = 0; i < 10_000; i++) {
      nodes.push({ id: `c${i}`, kind: 'add', params: {} });
      edges.push({ id: `f${i}`, source: `c${i}`, target: `c${(i + 1) % 10_000}` });
    }
    const file = join(dir, 'cycle.json');
    writeFileSync(file, JSON.stringify({ format: 'convas.design', version: 1, name: 'cycle', nodes, edges }));
    const r = convas(['summary', file]);
    console.log(`summary of a 10,000-node cycle: ${r.ms} ms, peak ${r.peakMiB.toFixed(0)} MiB, ${r.stdout.length} characters`);
    expect(r.code).toBe(1);
    expect(r.stdout.match(/ → /g)!.length).toBe(7); // one path: 'c0' → 'c1' → 'c2' → 'c3' → … → 'c9998' → 'c9999' → 'c0'
    expect(r.stdout).toContain("(10,000 layers); a network must flow one way");
    expect(r.stdout.length).toBeLessThan(3_000_000);
    const json = convas(['summary', file, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).errors).toHaveLength(10_000);
  }, 120_000);
});
