/**
 * `convas profile` as a user calls it: the contract's JSON (docs/command-line.md#profile), the table, and the
 * refusals in the words of the other commands.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../engine/index.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';

const dir = mkdtempSync(join(tmpdir(), 'convas-profile-'));
const convas = (args: string[]) => spawnSync('node', ['bin/convas.js', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });

function small() {
  const b = new DesignBuilder('small');
  b.input([32, 32, 3]);
  b.add('conv2d', { filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }, 'in', 'c1');
  b.add('maxPool2d', { poolSize: 2 }, 'c1', 'p');
  b.add('flatten', {}, 'p', 'f');
  b.add('dense', { units: 10, activation: 'softmax' }, 'f', 'out');
  return b.design();
}

describe('convas profile', () => {
  const file = join(dir, 'small.convas.json');
  writeFileSync(file, JSON.stringify(small()));

  it('--json prints backend, runs, forwardMs and one { id, ms, macs } per node', () => {
    const r = convas(['profile', file, '--json', '--runs', '3', '--backend', 'cpu']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(Object.keys(p)).toEqual(['backend', 'runs', 'forwardMs', 'nodes']);
    expect([p.backend, p.runs]).toEqual(['cpu', 3]);
    expect(p.forwardMs).toBeGreaterThan(0);
    const a = analyze(small());
    expect(p.nodes.map((n: { id: string; macs: number }) => [n.id, n.macs])).toEqual(a.nodes.map((n) => [n.id, n.macs]));
    for (const n of p.nodes) {
      expect(Object.keys(n)).toEqual(['id', 'ms', 'macs']);
      if (n.macs > 0) expect(n.ms).toBeGreaterThan(0);
    }
  }, 120_000);

  it('the table names the backend and sorts the layers by time, with MACs per millisecond', () => {
    const r = convas(['profile', file, '--runs', '2']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Backend: wasm on .+ logical cores\), 2 timed passes after 2 warm-up, medians$/m);
    const ms = [...r.stdout.matchAll(/^(c1|p|f|out) +\S+ +([0-9.]+) /gm)].map((m) => Number(m[2]));
    expect(ms.length).toBeGreaterThanOrEqual(2);
    expect(ms).toEqual([...ms].sort((x, y) => y - x));
    expect(r.stdout).toMatch(/^c1 +conv2d +[0-9.]+ +[0-9.]+% +442,368 +[0-9,]+ +█+$/m);
    expect(r.stdout).toMatch(/^Layer by layer: [0-9.]+ ms per pass/m);
  }, 120_000);

  it('refuses bad options and files like the other commands', () => {
    expect(convas(['profile', file, '--runs', '0'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--runs must be a whole number from 1 to 100, got "0"') });
    expect(convas(['profile', file, '--backend', 'webgl'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--backend must be wasm or cpu') });
    expect(convas(['profile', join(dir, 'none.convas.json')])).toMatchObject({ status: 2, stderr: expect.stringContaining('no such file') });
    const bad = new DesignBuilder('bad');
    bad.input([4, 4, 3]);
    bad.add('conv2d', { filters: 2, kernelSize: 7 }, 'in', 'c');
    writeFileSync(join(dir, 'bad.convas.json'), JSON.stringify(bad.design()));
    expect(convas(['profile', join(dir, 'bad.convas.json')])).toMatchObject({ status: 1, stderr: expect.stringContaining('invalid design (1 error)') });
  }, 120_000);

  it('--weights times the design on a trained model\'s weights, read as run reads them, and refuses ones that do not fit', () => {
    // weights from another seed, written by `export --to tfjs`: the files `run --weights` takes
    const out = join(dir, 'trained');
    expect(convas(['export', file, '--to', 'tfjs', '--seed', '7', '--out', out]).status).toBe(0);
    const r = convas(['profile', file, '--runs', '1', '--backend', 'cpu', '--weights', join(out, 'model.json')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Weights: ${join(out, 'model.json')}`);
    expect(convas(['profile', file, '--weights', join(dir, 'none.json')])).toMatchObject({ status: 2, stderr: expect.stringContaining('cannot read') });
    // a model of another design: the layer and both shapes named, as run names them
    const wide = small();
    (wide.nodes.find((n) => n.id === 'c1')!.params as { filters: number }).filters = 8;
    const wideFile = join(dir, 'wide.convas.json');
    writeFileSync(wideFile, JSON.stringify(wide));
    const refused = convas(['profile', wideFile, '--runs', '1', '--backend', 'cpu', '--weights', join(out, 'model.json')]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/cannot profile: .*c1/);
  }, 120_000);
});
