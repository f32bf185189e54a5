import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { DesignBuilder } from '../../../test/fixtures/build.ts';

const dir = mkdtempSync(join(tmpdir(), 'convas-run-'));
const file = (name: string, content: string | Buffer | object) => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content));
  return p;
};

function convas(args: string[]) {
  const r = spawnSync('node', ['bin/convas.js', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

function small() {
  const b = new DesignBuilder('small');
  b.input([16, 16, 3]);
  b.add('conv2d', { filters: 4, kernelSize: 3, padding: 1, activation: 'relu' }, 'in', 'c1');
  b.add('maxPool2d', { poolSize: 3, strides: 2, ceilMode: true }, 'c1', 'p1');
  b.add('globalAvgPool', {}, 'p1', 'gap');
  b.add('dense', { units: 10, activation: 'softmax' }, 'gap', 'probs');
  b.add('conv2d', { filters: 2, kernelSize: 1 }, 'p1', 'side');
  return b.design();
}

const rgba = (w: number, h: number) => {
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 256;
  return data;
};

describe('convas run', () => {
  const design = file('small.convas.json', small());

  it('--json prints backend, params, seed, image, output shapes, stats, the softmax top-5 and times (docs/command-line.md#run)', () => {
    const { stdout, code, stderr } = convas(['run', design, '--json', '--seed', '4']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['backend', 'params', 'seed', 'image', 'outputs', 'stats', 'top', 'compileMs', 'forwardMs']);
    expect(out.backend).toBe('wasm');
    expect(out.params).toBe(3 * 3 * 3 * 4 + 4 + 4 * 10 + 10 + 4 * 2 + 2);
    expect([out.seed, out.image]).toEqual([4, null]);
    expect(out.outputs).toEqual({ probs: [10], side: [8, 8, 2] });
    expect(Object.keys(out.stats)).toEqual(['probs', 'side']);
    for (const st of Object.values(out.stats) as { min: number; max: number; mean: number }[]) {
      expect(st.min).toBeLessThanOrEqual(st.mean);
      expect(st.mean).toBeLessThanOrEqual(st.max);
    }
    // a softmax over 10 classes: the mean is exactly 1/10, the top class holds the maximum
    expect(out.stats.probs.mean).toBeCloseTo(0.1, 6);
    expect(Object.keys(out.top)).toEqual(['probs']); // 'side' is no softmax
    const top = out.top.probs as [number, number][];
    expect(top).toHaveLength(5);
    expect(top[0][1]).toBe(out.stats.probs.max);
    for (let i = 1; i < 5; i++) expect(top[i][1]).toBeLessThanOrEqual(top[i - 1][1]);
    expect(new Set(top.map(([k]) => k)).size).toBe(5);
    expect(top.every(([k]) => Number.isInteger(k) && k >= 0 && k < 10)).toBe(true);
    expect(out.compileMs).toBeGreaterThan(0);
    expect(out.forwardMs).toBeGreaterThan(0);
  });

  it('runs on a PNG and a JPEG, and on the cpu backend, with a human report', () => {
    const png = new PNG({ width: 20, height: 12 });
    png.data = rgba(20, 12);
    const pngFile = file('img.png', PNG.sync.write(png));
    const jpgFile = file('img.jpg', Buffer.from(jpeg.encode({ data: rgba(9, 7), width: 9, height: 7 }, 90).data));
    const a = convas(['run', design, '--image', pngFile]);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('Params: 172');
    expect(a.stdout).toMatch(/Top-5 of probs \(random weights, seed 1\)/);
    expect(a.stdout).toContain('Weights: random (seed 1)');
    expect(a.stdout).toContain('side: [8, 8, 2]');
    // centre-cropped by default (the Run tab's rule), and says so; --fit stretch on request
    expect(a.stdout).toContain(`Input: image ${pngFile} (20×12, centre-cropped to 12×12, resized to 16×16, bilinear, 0..1)`);
    expect(convas(['run', design, '--image', pngFile, '--fit', 'sideways']).stderr).toContain('--fit must be one of crop, stretch, got "sideways"');
    const b = convas(['run', design, '--image', jpgFile, '--backend', 'cpu', '--json', '--fit', 'stretch']);
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout)).toMatchObject({ backend: 'cpu', seed: 1, image: jpgFile });
    expect(b.stderr).toBe('');
  });

  it('a file that is not an image is exit 2 with one line', () => {
    const { code, stderr, stdout } = convas(['run', design, '--image', design]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/not a PNG or JPEG image/);
  });

  it('an invalid design is exit 1 with its errors; not a design is exit 2', () => {
    const bad = small();
    (bad.nodes[1].params as Record<string, unknown>).kernelSize = 40;
    const r = convas(['run', file('bad.convas.json', bad)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/conv2d 'c1'/);
    const n = convas(['run', file('junk.json', '{"hello": 1}')]);
    expect(n.code).toBe(2);
    expect(n.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a design over the memory budget is exit 1 with the reason', () => {
    const b = new DesignBuilder('huge');
    b.input([4096, 4096, 3]);
    b.add('conv2d', { filters: 512, kernelSize: 3, padding: 'same' });
    const r = convas(['run', file('huge.convas.json', b.design()), '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/memory budget/);
  });
});
