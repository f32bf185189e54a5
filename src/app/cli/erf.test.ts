/**
 * `convas erf` against PyTorch autograd (docs/effective-field.md#checked-against-pytorch): the same design exported with `export --to pytorch
 * --weights` (the same seeded weights), the same seeded image, and the gradient of the same unit computed by
 * torch. Cosine similarity of the maps ≥ 0.999, radius90 within 1 pixel. One design holds a dilated depthwise
 * convolution, whose gradient tfjs cannot take (computed on the zero-stuffed kernel, drivers/compile/erf.ts).
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { itWithPython, PYTHON } from '../../../test/support/python.ts';
import { randomInput } from '../../drivers/compile/node-image.ts';
import type { EffectiveField } from '../../drivers/compile/erf.ts';
import type { Design } from '../../engine/index.ts';

const convas = (args: string[]) => spawnSync('node', ['bin/convas.js', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });

// Reads the export and the image, takes the gradient of the unit, and prints the map and radius90 (the same
// definition as the contract's, written again here from Luo et al.: the smallest centred square holding 90%).
const SCRIPT = `
import json, sys, importlib.util, numpy as np, torch
d, mod_name, h, w, c, ci, cj, ui, uj = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:10])
spec = importlib.util.spec_from_file_location(mod_name, f"{d}/{mod_name}.py")
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
cls = [v for k, v in vars(m).items() if isinstance(v, type) and issubclass(v, torch.nn.Module) and v.__module__ == mod_name][0]
model = m.load_convas_weights(cls().eval(), f"{d}/{mod_name}.weights.json")
x = np.fromfile(f"{d}/x.f32", dtype=np.float32).reshape(1, h, w, c).transpose(0, 3, 1, 2).copy()
x = torch.tensor(x, requires_grad=True)
y = model(x)
y[0, :, ui, uj].sum().backward()
g = x.grad[0].abs().sum(0).numpy().astype(np.float64)
g = g / g.max()
total = g.sum()
r = 0
while g[max(0, ci - r):ci + r + 1, max(0, cj - r):cj + r + 1].sum() < 0.9 * total: r += 1
print(json.dumps({"map": g.tolist(), "radius90": r}))
`;

function cosine(a: number[][], b: number[][]): number {
  let ab = 0, aa = 0, bb = 0;
  a.forEach((row, i) => row.forEach((v, j) => { ab += v * b[i][j]; aa += v * v; bb += b[i][j] * b[i][j]; }));
  return ab / Math.sqrt(aa * bb);
}

function compare(design: Design, node: string, seed: number) {
  const dir = mkdtempSync(join(tmpdir(), 'convas-erf-'));
  const file = join(dir, 'd.convas.json');
  writeFileSync(file, JSON.stringify(design));
  const ex = convas(['export', file, '--to', 'pytorch', '--out', join(dir, 'erf_model.py'), '--weights', '--seed', String(seed)]);
  expect(ex.status, ex.stderr).toBe(0);
  const r = convas(['erf', file, '--node', node, '--seed', String(seed), '--json']);
  expect(r.status, r.stderr).toBe(0);
  const ours = JSON.parse(r.stdout) as EffectiveField;
  const shape = (design.nodes[0].params as { shape: number[] }).shape;
  const x = randomInput(shape, seed);
  writeFileSync(join(dir, 'x.f32'), Buffer.from((x.dataSync() as Float32Array).buffer));
  x.dispose();
  // the unit's centre pixel from the theoretical field (Araujo et al.: size, stride, padding)
  const t = ours.theoretical!;
  const centre = [0, 1].map((a) => Math.floor(ours.unit[a] * t.stride[a] - t.padding[a] + (t.size[a] - 1) / 2));
  const py = spawnSync(PYTHON, ['-c', SCRIPT, dir, 'erf_model', ...shape.map(String), ...centre.map(String), ...ours.unit.map(String)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  expect(py.status, py.stderr).toBe(0);
  const torch = JSON.parse(py.stdout) as { map: number[][]; radius90: number };
  expect(ours.map.length).toBe(shape[0]);
  expect(ours.map[0].length).toBe(shape[1]);
  expect(cosine(ours.map, torch.map)).toBeGreaterThanOrEqual(0.999);
  expect(Math.abs(ours.radius90 - torch.radius90)).toBeLessThanOrEqual(1);
  return { ours, torch };
}

describe('convas erf against PyTorch autograd', () => {
  itWithPython(['torch', 'numpy'], 'a dilated depthwise conv, a strided conv and a pool: the same map and radius90', () => {
    const b = new DesignBuilder('erf chain');
    b.input([24, 24, 2]);
    b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }, 'in', 'c1');
    b.add('depthwiseConv2d', { kernelSize: 3, dilation: 2, padding: 'same' }, 'c1', 'dw');
    b.add('conv2d', { filters: 4, kernelSize: 3, strides: 2, padding: 1 }, 'dw', 'c2');
    b.add('maxPool2d', { poolSize: 2 }, 'c2', 'p');
    const { ours } = compare(b.design(), 'p', 3);
    expect(ours.unit).toEqual([3, 3]);
    expect(ours.theoretical!.size).toEqual([11, 11]); // 3, +4 (dilated 5), +2, +1·2 (the pool after stride 2)
    // nothing outside the theoretical field
    const t = ours.theoretical!;
    ours.map.forEach((row, i) => row.forEach((v, j) => {
      const inside = [i, j].every((p, a) => p >= ours.unit[a] * t.stride[a] - t.padding[a] && p < ours.unit[a] * t.stride[a] - t.padding[a] + t.size[a]);
      if (!inside) expect(v).toBe(0);
    }));
  }, 90_000);

  itWithPython(['torch', 'numpy'], 'a deep chain of 3×3 convs with ReLU (the effective-field lesson): the same map and radius90', () => {
    const b = new DesignBuilder('erf deep');
    b.input([40, 40, 1]);
    let last = 'in';
    for (let i = 1; i <= 8; i++) last = b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same', activation: i < 8 ? 'relu' : 'linear' }, last, `c${i}`);
    const { ours } = compare(b.design(), 'c8', 5);
    expect(ours.theoretical!.size).toEqual([17, 17]);
    expect(ours.radius90).toBeLessThanOrEqual(8);
  }, 90_000);
});
