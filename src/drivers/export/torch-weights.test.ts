import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Design } from '../../engine/index.ts';
import { DEFAULT_SEED } from '../../engine/initial-weights.ts';
import { compileDesign, tf } from '../compile/index.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';
import { toPyTorch } from './pytorch.ts';
import { seededTorchWeights, torchStateDict } from './torch-layout.ts';
import { torchWeights } from './torch-weights.ts';
import { toOnnx } from './onnx.ts';
import { everyKind } from '../../../test/fixtures/every-kind.ts';
import { itWithPython, PYTHON, writeTorchCase } from '../../../test/support/python.ts';
import { maxDifference, runOnnx, type Nhwc } from '../../../test/support/onnx-runtime.ts';

const PRESETS = ['bottleneck-1x1', 'conv-5x5-vs-3x3', 'dense-block', 'inception-module', 'resnet18', 'mobilenet-v3-large', 'convnext-tiny'];
const designs = (): [string, Design][] => [
  ...PRESETS.map((p) => [p, JSON.parse(readFileSync(`presets/${p}.convas.json`, 'utf8')) as Design] as [string, Design]),
  ['every-kind', everyKind()],
];

beforeAll(async () => {
  await setupNodeBackend('wasm');
});

/** The ONNX file's initializers by name, as raw bytes. */
function onnxInitializers(bytes: Uint8Array): Map<string, { dims: number[]; raw: Buffer }> {
  const m = onnxProto.onnx.ModelProto.decode(bytes);
  return new Map(m.graph!.initializer!.filter((t) => t.dataType === onnxProto.onnx.TensorProto.DataType.FLOAT)
    .map((t) => [t.name!, { dims: (t.dims ?? []).map(Number), raw: Buffer.from(t.rawData!) }]));
}

/** Runs the compiled model on a seeded input in −1..1; inputs and outputs channels-last with the batch. */
function runTfjs(design: Design, seed: number, everyTensor: boolean) {
  const compiled = compileDesign(design, { seed, init: { everyTensor } });
  const xs = compiled.model.inputs.map((t, i) => tf.randomUniform([1, ...(t.shape.slice(1) as number[])], -1, 1, 'float32', 11 + i));
  const raw = compiled.model.predict(xs.length === 1 ? xs[0] : xs);
  const ys = Array.isArray(raw) ? raw : [raw];
  const read = (t: tf.Tensor): Nhwc => ({ shape: t.shape.slice(), data: Float32Array.from(t.dataSync() as Float32Array) });
  const result = { compiled, inputs: xs.map(read), outputs: ys.map(read) };
  tf.dispose([...xs, ...ys]);
  return result;
}

describe('one seed, one set of weights', () => {
  // the editor's Run tab re-exports DEFAULT_SEED from engine/initial-weights.ts (src/app/ui/run/run-client.ts)
  it('the CLI and every export default to one seed', () => {
    const r = spawnSync('node', ['bin/convas.js', 'run', 'presets/conv-5x5-vs-3x3.convas.json', '--json', '--backend', 'cpu'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).seed).toBe(DEFAULT_SEED);
  }, 60_000);

  it('same seed → bit-identical weights in tfjs, in the ONNX export and in the PyTorch --weights files (every kind, groups, depthwise, batch norm)', () => {
    for (const [key, design] of designs()) {
      const seed = 3;
      const analysis = analyze(design);
      const compiled = compileDesign(design, { seed });
      // tfjs's own weights, read back from the compiled model and put in PyTorch layouts
      const fromTfjs = torchWeights(design, compiled, 'w.bin', seed);
      compiled.model.dispose();
      const pure = seededTorchWeights(design, analysis, seed, 'w.bin');
      expect(pure.manifest, key).toEqual(fromTfjs.manifest);
      expect(Buffer.from(pure.data).equals(Buffer.from(fromTfjs.data)), `${key}: PyTorch weights vs tfjs`).toBe(true);
      const count = pure.manifest.tensors.reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0);
      expect(count, key).toBe(analysis.totals.params);
      // the ONNX file holds the same bytes under the same names
      const inits = onnxInitializers(toOnnx(design, { seed, analysis }));
      for (const t of pure.manifest.tensors) {
        const n = t.shape.reduce((a, b) => a * b, 1);
        const got = inits.get(t.name);
        expect(got?.dims, `${key}: ${t.name}`).toEqual(t.shape);
        expect(got!.raw.equals(Buffer.from(pure.data.buffer, pure.data.byteOffset + t.offset, n * 4)), `${key}: ONNX ${t.name}`).toBe(true);
      }
    }
    // another seed, other weights
    const d = everyKind();
    const a = analyze(d);
    expect(Buffer.from(seededTorchWeights(d, a, 3, 'w').data).equals(Buffer.from(seededTorchWeights(d, a, 4, 'w').data))).toBe(false);
  }, 120_000);

  it('the commands write the same weights for a seed: export --to pytorch --weights, --to onnx (default seed too) and run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convas-seed-'));
    const file = 'presets/dense-block.convas.json';
    const design = JSON.parse(readFileSync(file, 'utf8')) as Design;
    const analysis = analyze(design);
    const cli = (args: string[]) => spawnSync('node', ['bin/convas.js', 'export', file, ...args], { encoding: 'utf8' });
    const py = cli(['--to', 'pytorch', '--out', join(dir, 'm.py'), '--weights', '--seed', '6']);
    expect(py.status, py.stderr).toBe(0);
    expect(py.stderr).toContain('seed 6');
    expect(readFileSync(join(dir, 'm.weights.bin')).equals(Buffer.from(seededTorchWeights(design, analysis, 6, '').data))).toBe(true);
    const onnx = cli(['--to', 'onnx', '--out', join(dir, 'm.onnx')]);
    expect(onnx.status, onnx.stderr).toBe(0);
    expect(onnx.stderr).toContain(`seed ${DEFAULT_SEED}`);
    const inits = onnxInitializers(readFileSync(join(dir, 'm.onnx')));
    for (const [name, t] of torchStateDict(design, analysis, { seed: DEFAULT_SEED })) {
      expect(inits.get(name)!.raw.equals(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)), name).toBe(true);
    }
  }, 60_000);
});

describe('the same numbers in tfjs, ONNX Runtime and PyTorch on the same weights', () => {
  // Every tensor random (biases, batch-norm statistics too), so a misplaced one shows.
  it('ONNX Runtime (onnxruntime-web) computes what tfjs does within 1e-4 (teaching designs, ResNet-18, MobileNet v3, ConvNeXt, every kind)', async () => {
    for (const [key, design] of designs()) {
      const { compiled, inputs, outputs } = runTfjs(design, 5, true);
      const onnx = toOnnx(design, { seed: 5, init: { everyTensor: true }, analysis: compiled.analysis });
      compiled.model.dispose();
      const { maxDiff, maxAbs } = maxDifference(await runOnnx(onnx, inputs), outputs);
      console.log(`onnxruntime vs tfjs: ${key} max |diff| ${maxDiff.toExponential(2)} (max |output| ${maxAbs.toExponential(2)})`);
      expect(maxDiff / Math.max(1, maxAbs), key).toBeLessThan(1e-4);
    }
  }, 180_000);

  itWithPython(['torch', 'numpy'], 'PyTorch computes what tfjs does within 1e-4, on the tfjs model\'s weights read back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convas-torchw-'));
    const manifest = designs().map(([key, design]) => {
      const { compiled, inputs, outputs } = runTfjs(design, 5, true);
      const w = torchWeights(design, compiled, `${key}.bin`, null);
      compiled.model.dispose();
      return writeTorchCase(dir, key, key.replace(/-/g, '_'), toPyTorch(design, compiled.analysis), w, `${key}.bin`, inputs, outputs);
    });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const out = execFileSync(PYTHON, ['scripts/check_torch_weights.py', join(dir, 'manifest.json')], { encoding: 'utf8', timeout: 110_000 });
    const results = out.trim().split('\n').map((l) => JSON.parse(l) as { file: string; maxDiff: number; maxAbs: number; error?: string });
    expect(results).toHaveLength(manifest.length);
    for (const r of results) {
      expect(r.error, r.file).toBeUndefined();
      console.log(`torch vs tfjs: ${r.file.split('/').pop()} max |diff| ${r.maxDiff.toExponential(2)} (max |output| ${r.maxAbs.toExponential(2)})`);
      expect(r.maxDiff / Math.max(1, r.maxAbs), r.file).toBeLessThan(1e-4);
    }
  }, 240_000);
});
