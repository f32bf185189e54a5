import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, type Design, type Shape } from '../core/index.ts';
import { DesignBuilder } from '../core/testing/build.ts';
import { everyKind } from './every-kind.ts';
import { toOnnx } from './onnx.ts';
import { toPyTorch } from './pytorch.ts';

const PYTHON = process.env.CONVAS_TORCH_PYTHON ?? '/usr/bin/python3';
const hasOnnx = spawnSync(PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0;
const hasTorch = hasOnnx && spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status === 0;
if (!hasOnnx) {
  console.warn(`\n*** SKIPPING the ONNX export checks: ${PYTHON} cannot import onnx (pip install onnx).\n`);
} else if (!hasTorch) {
  console.warn(`\n*** SKIPPING the ONNX numeric comparison with PyTorch: ${PYTHON} cannot import torch and numpy.\n`);
}

const nchw = (s: Shape) => (s.length === 3 ? [s[2], s[0], s[1]] : [...s]);

/** Average pools where the exact count matters: explicit padding with ceil mode, asymmetric 'same', valid + ceil. */
function avgPools(): Design {
  const b = new DesignBuilder('average pools');
  b.input([10, 11, 3]);
  b.add('avgPool2d', { poolSize: 3, strides: 2, padding: 1, ceilMode: true }, 'in', 'padCeil');
  b.add('avgPool2d', { poolSize: [3, 2], strides: [2, 3], padding: [1, 0], ceilMode: true }, 'in', 'mixedCeil');
  b.add('avgPool2d', { poolSize: 2, strides: 2, ceilMode: true }, 'in', 'validCeil');
  b.add('avgPool2d', { poolSize: 3, strides: 2, padding: 'same' }, 'in', 'same');
  b.add('avgPool2d', { poolSize: 3, strides: 1, padding: 1 }, 'in', 'padded');
  b.add('maxPool2d', { poolSize: 3, strides: 2, padding: 1, ceilMode: true }, 'in', 'maxCeil');
  b.add('maxPool2d', { poolSize: 2, strides: 2, padding: 'same' }, 'in', 'maxSame');
  return b.design();
}

/** Designs small enough to run in the ONNX interpreter and in PyTorch within the test's time. */
const RUN = new Set(['every-kind', 'avg-pools', 'conv-5x5-vs-3x3', 'bottleneck-1x1', 'inception-module', 'dense-block',
  'alexnet', 'alexnet-2012', 'resnet18', 'googlenet']);

describe('ONNX export', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const d = everyKind();
    expect(Buffer.from(toOnnx(d, { seed: 1 })).equals(Buffer.from(toOnnx(d, { seed: 1 })))).toBe(true);
    expect(Buffer.from(toOnnx(d, { seed: 1 })).equals(Buffer.from(toOnnx(d, { seed: 2 })))).toBe(false);
  });

  it.skipIf(!hasOnnx)('every preset and every kind: onnx.checker (full check) passes, shape inference gives the analysed outputs, and the graph computes what the PyTorch export does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convas-onnx-'));
    const designs: [string, Design][] = [
      ...readdirSync('presets').filter((f) => f.endsWith('.convas.json'))
        .map((f) => [f.replace('.convas.json', ''), JSON.parse(readFileSync(join('presets', f), 'utf8')) as Design] as [string, Design]),
      ['every-kind', everyKind()],
      ['avg-pools', avgPools()],
    ];
    const manifest = designs.map(([key, design]) => {
      const a = analyze(design);
      const file = join(dir, `${key}.onnx`);
      writeFileSync(file, toOnnx(design, { seed: 1, analysis: a }));
      let pytorch: string | undefined;
      if (hasTorch && RUN.has(key)) {
        pytorch = join(dir, `${key.replace(/[^A-Za-z0-9_]/g, '_')}.py`);
        writeFileSync(pytorch, toPyTorch(design, a));
      }
      const hasOut = new Set(design.edges.map((e) => e.source));
      return { key, file, pytorch, outputs: design.nodes.filter((n) => !hasOut.has(n.id)).map((n) => nchw(a.nodes.find((x) => x.id === n.id)!.outputShape!)) };
    });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const out = execFileSync(PYTHON, ['scripts/check_onnx.py', join(dir, 'manifest.json')], { encoding: 'utf8', timeout: 170_000 });
    const results = out.trim().split('\n').map((l) => JSON.parse(l) as { file: string; error: string | null; shapes: unknown; max_diff?: number });
    expect(results).toHaveLength(manifest.length);
    let ran = 0;
    for (const [i, r] of results.entries()) {
      expect({ file: r.file, error: r.error, shapes: r.shapes }).toEqual({ file: manifest[i].file, error: null, shapes: manifest[i].outputs });
      if (manifest[i].pytorch) {
        ran++;
        expect(r.max_diff, `${manifest[i].key}: ONNX vs PyTorch`).toBeLessThan(1e-4);
      }
    }
    if (hasTorch) expect(ran).toBe(RUN.size);
  }, 180_000);
});
