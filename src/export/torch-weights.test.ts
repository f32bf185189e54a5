import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Design } from '../core/index.ts';
import { compileDesign, tf } from '../compile/index.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';
import { toPyTorch } from './pytorch.ts';
import { torchWeights } from './torch-weights.ts';
import { toOnnx } from './onnx.ts';
import { everyKind } from './every-kind.ts';

const PYTHON = process.env.CONVAS_TORCH_PYTHON ?? '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status === 0;
const hasOnnx = hasTorch && spawnSync(PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0;
if (!hasTorch) {
  console.warn(`\n*** SKIPPING the PyTorch weight checks: ${PYTHON} cannot import torch and numpy.\n`);
}

const PRESETS = ['bottleneck-1x1', 'conv-5x5-vs-3x3', 'dense-block', 'inception-module', 'resnet18'];

beforeAll(async () => {
  await setupNodeBackend('wasm');
});

/**
 * Runs a checker script over a manifest of `count` models; each line it prints must show the model agreeing with
 * tfjs within 1e-4 of the largest output magnitude (or absolutely, for outputs below 1).
 */
function expectAgreement(label: string, script: string, manifest: string, count: number) {
  const out = execFileSync(PYTHON, [script, manifest], { encoding: 'utf8', timeout: 110_000 });
  const results = out.trim().split('\n').map((l) => JSON.parse(l) as { file: string; maxDiff: number; maxAbs: number });
  expect(results).toHaveLength(count);
  for (const r of results) {
    console.log(`${label} vs tfjs: ${r.file.split('/').pop()} max |diff| ${r.maxDiff.toExponential(2)} (max |output| ${r.maxAbs.toExponential(2)})`);
    expect(r.maxDiff / Math.max(1, r.maxAbs), r.file).toBeLessThan(1e-4);
  }
}

describe('PyTorch weights', () => {
  it.skipIf(!hasTorch)('tfjs, PyTorch and ONNX agree within 1e-4 on the same weights and image (teaching designs, ResNet-18, every kind)', () => {
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
      const weights = new Map(w.manifest.tensors.map((t) => [t.name, {
        shape: t.shape, data: new Float32Array(w.data.buffer, w.data.byteOffset + t.offset, t.shape.reduce((m, d) => m * d, 1)),
      }]));
      writeFileSync(`${stem}.onnx`, toOnnx(design, { weights, analysis: compiled.analysis }));
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
    expectAgreement('torch', 'scripts/check_torch_weights.py', join(dir, 'manifest.json'), manifest.length);
    if (!hasOnnx) {
      console.warn('\n*** SKIPPING the ONNX numbers check: no onnx Python package.\n');
      return;
    }
    // The ONNX files, with the same weights, evaluated by a small PyTorch interpreter of the ops Convas emits.
    const onnxManifest = manifest.map((m) => ({ ...m, file: m.file.replace(/\.py$/, '.onnx') }));
    writeFileSync(join(dir, 'onnx-manifest.json'), JSON.stringify(onnxManifest));
    expectAgreement('onnx', 'scripts/check_onnx_numbers.py', join(dir, 'onnx-manifest.json'), manifest.length);
  }, 240_000);
});
