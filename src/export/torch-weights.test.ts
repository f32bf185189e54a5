import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Design } from '../core/index.ts';
import { DesignBuilder } from '../core/testing/build.ts';
import { compileDesign, tf } from '../compile/index.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';
import { toPyTorch } from './pytorch.ts';
import { torchWeights } from './torch-weights.ts';

const PYTHON = process.env.CONVAS_TORCH_PYTHON ?? '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status === 0;
if (!hasTorch) {
  console.warn(`\n*** SKIPPING the PyTorch weight checks: ${PYTHON} cannot import torch and numpy.\n`);
}

/** One design with every kind that has weights or exact padding rules (asymmetric 'same', ceil mode, groups). */
function everyKind(): Design {
  const b = new DesignBuilder('every kind');
  b.input([17, 17, 4]);
  b.add('conv2d', { filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }, 'in', 'c1');
  b.add('batchNorm', { epsilon: 0.01, momentum: 0.9 }, 'c1', 'bn');
  b.add('conv2d', { filters: 8, kernelSize: 3, groups: 2, padding: 1, activation: 'elu' }, 'bn', 'grp');
  b.add('conv2d', { filters: 16, kernelSize: 3, groups: 8, padding: 'same' }, 'grp', 'dwgrp');
  b.add('depthwiseConv2d', { kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu6' }, 'grp', 'dw');
  b.add('concat', {}, ['dwgrp', 'dw'], 'cat');
  b.add('lrn', { depthRadius: 2, bias: 1, alpha: 0.5, beta: 0.75 }, 'cat', 'lrn');
  b.add('conv2d', { filters: 8, kernelSize: 3, dilation: 2, padding: 'same', activation: 'swish' }, 'lrn', 'dil');
  b.add('maxPool2d', { poolSize: 2, strides: 2, ceilMode: true }, 'dil', 'mp');
  b.add('avgPool2d', { poolSize: 2, strides: 2, padding: 'same' }, 'dil', 'ap');
  b.add('add', {}, ['mp', 'ap'], 'sum');
  b.add('zeroPad2d', { padding: [1, 2] }, 'sum', 'zp');
  b.add('activation', { fn: 'tanh' }, 'zp', 'act');
  b.add('flatten', {}, 'act', 'flat');
  b.add('dense', { units: 12, activation: 'selu' }, 'flat', 'fc1');
  b.add('dropout', { rate: 0.3 }, 'fc1', 'drop');
  b.add('dense', { units: 5, activation: 'softmax' }, 'drop', 'fc2');
  b.add('globalAvgPool', {}, 'dil', 'gap');
  b.add('dense', { units: 3, activation: 'sigmoid', useBias: false }, 'gap', 'head2');
  // Unbounded outputs too, so the softmax/sigmoid heads cannot hide a difference.
  b.add('conv2d', { filters: 4, kernelSize: 1 }, 'sum', 'probe');
  b.add('activation', { fn: 'softplus' }, 'lrn', 'probe2');
  return b.design();
}

const PRESETS = ['bottleneck-1x1', 'conv-5x5-vs-3x3', 'dense-block', 'inception-module', 'resnet18'];

beforeAll(async () => {
  await setupNodeBackend('wasm');
});

describe('PyTorch weights', () => {
  it.skipIf(!hasTorch)('tfjs and PyTorch agree within 1e-4 on the same weights and image (teaching designs, ResNet-18, every kind)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convas-torchw-'));
    const designs: [string, Design][] = [
      ...PRESETS.map((p) => [p, JSON.parse(readFileSync(`presets/${p}.convas.json`, 'utf8')) as Design] as [string, Design]),
      ['every-kind', everyKind()],
    ];
    const manifest = designs.map(([key, design], k) => {
      const compiled = compileDesign(design, { seed: 5 + k });
      const stem = join(dir, key.replace(/-/g, '_'));
      writeFileSync(`${stem}.py`, toPyTorch(design, compiled.analysis));
      const w = torchWeights(design, compiled, `${key}.bin`, 5 + k);
      writeFileSync(join(dir, `${key}.bin`), w.data);
      writeFileSync(`${stem}.weights.json`, JSON.stringify(w.manifest));
      const xs = compiled.model.inputs.map((t, i) => tf.randomUniform([1, ...(t.shape.slice(1) as number[])], -1, 1, 'float32', 11 + i));
      const raw = compiled.model.predict(xs.length === 1 ? xs[0] : xs);
      const ys = Array.isArray(raw) ? raw : [raw];
      const save = (t: tf.Tensor, name: string) => {
        const file = join(dir, name);
        writeFileSync(file, new Uint8Array((t.dataSync() as Float32Array).buffer.slice(0)));
        return { file, shape: t.shape };
      };
      const entry = {
        file: `${stem}.py`, weights: `${stem}.weights.json`,
        inputs: xs.map((x, i) => save(x, `${key}.in${i}.bin`)), outputs: ys.map((y, i) => save(y, `${key}.out${i}.bin`)),
      };
      tf.dispose([...xs, ...ys]);
      compiled.model.dispose();
      return entry;
    });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const out = execFileSync(PYTHON, ['scripts/check_torch_weights.py', join(dir, 'manifest.json')], { encoding: 'utf8', timeout: 110_000 });
    const results = out.trim().split('\n').map((l) => JSON.parse(l) as { file: string; maxDiff: number; maxAbs: number });
    expect(results).toHaveLength(manifest.length);
    for (const r of results) {
      console.log(`torch vs tfjs: ${r.file.split('/').pop()} max |diff| ${r.maxDiff.toExponential(2)} (max |output| ${r.maxAbs.toExponential(2)})`);
      expect(r.maxDiff / Math.max(1, r.maxAbs), r.file).toBeLessThan(1e-4);
    }
  }, 120_000);
});
