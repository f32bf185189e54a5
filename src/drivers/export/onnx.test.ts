import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, KIND_NAMES, modelIO, type Design, type Shape } from '../../engine/index.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { compileDesign, tf } from '../compile/index.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';
import { everyKind } from '../../../test/fixtures/every-kind.ts';
import { toOnnx } from './onnx.ts';
import { itWithPython, PYTHON } from '../../../test/support/python.ts';
import { maxDifference, runOnnx } from '../../../test/support/onnx-runtime.ts';

beforeAll(async () => {
  await setupNodeBackend('wasm');
});

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

/**
 * Designs run in ONNX Runtime here, beside those src/drivers/export/torch-weights.test.ts runs (the teaching designs,
 * ResNet-18, every kind): the exact average-pool counts, LRN and grouped convolutions (AlexNet 2012), GoogLeNet.
 */
const RUN = ['avg-pools', 'alexnet', 'alexnet-2012', 'googlenet'];

describe('ONNX export', () => {
  it('the every-kind fixture holds every registered layer kind', () => {
    const kinds = new Set(everyKind().nodes.map((n) => n.kind));
    expect(KIND_NAMES.filter((k) => !kinds.has(k))).toEqual([]);
    expect(analyze(everyKind()).valid).toBe(true);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const d = everyKind();
    expect(Buffer.from(toOnnx(d, { seed: 1 })).equals(Buffer.from(toOnnx(d, { seed: 1 })))).toBe(true);
    expect(Buffer.from(toOnnx(d, { seed: 1 })).equals(Buffer.from(toOnnx(d, { seed: 2 })))).toBe(false);
  });

  // One check per design, each with its own time: the presets now include 30-million-parameter segmentation models,
  // whose export and full check take seconds each.
  const checked: [string, () => Design][] = [
    ...readdirSync('presets').filter((f) => f.endsWith('.convas.json')).sort()
      .map((f) => [f.replace('.convas.json', ''), () => JSON.parse(readFileSync(join('presets', f), 'utf8')) as Design] as [string, () => Design]),
    ['every-kind', everyKind],
    ['avg-pools', avgPools],
  ];
  for (const [key, load] of checked) {
    itWithPython(['onnx'], `${key}: onnx.checker (full check) passes and shape inference gives the analysed outputs`, () => {
      const design = load();
      const a = analyze(design);
      const file = join(mkdtempSync(join(tmpdir(), 'convas-onnx-')), `${key}.onnx`);
      writeFileSync(file, toOnnx(design, { seed: 1, analysis: a }));
      const byId = new Map(a.nodes.map((n) => [n.id, n]));
      const manifest = [{ key, file, outputs: modelIO(design).outputs.map((n) => nchw(byId.get(n.id)!.outputShape!)) }];
      const manifestFile = `${file}.json`;
      writeFileSync(manifestFile, JSON.stringify(manifest));
      const out = execFileSync(PYTHON, ['scripts/check_onnx.py', manifestFile], { encoding: 'utf8', timeout: 110_000 });
      const [r] = out.trim().split('\n').map((l) => JSON.parse(l) as { file: string; error: string | null; shapes: unknown });
      expect({ file: r.file, error: r.error, shapes: r.shapes }).toEqual({ file, error: null, shapes: manifest[0].outputs });
      rmSync(file, { force: true });
    }, 120_000);
  }

  it(`ONNX Runtime (onnxruntime-web) computes what tfjs does within 1e-4 on the same weights: ${RUN.join(', ')}`, async () => {
    for (const key of RUN) {
      const design = key === 'avg-pools' ? avgPools() : JSON.parse(readFileSync(`presets/${key}.convas.json`, 'utf8')) as Design;
      const compiled = compileDesign(design, { seed: 2, init: { everyTensor: true } });
      const xs = compiled.model.inputs.map((t, i) => tf.randomUniform([1, ...(t.shape.slice(1) as number[])], -1, 1, 'float32', 21 + i));
      const raw = compiled.model.predict(xs.length === 1 ? xs[0] : xs);
      const ys = Array.isArray(raw) ? raw : [raw];
      const read = (t: tf.Tensor) => ({ shape: t.shape.slice(), data: Float32Array.from(t.dataSync() as Float32Array) });
      const inputs = xs.map(read);
      const outputs = ys.map(read);
      tf.dispose([...xs, ...ys]);
      compiled.model.dispose();
      const onnx = toOnnx(design, { seed: 2, init: { everyTensor: true }, analysis: compiled.analysis });
      const { maxDiff, maxAbs } = maxDifference(await runOnnx(onnx, inputs), outputs);
      console.log(`onnxruntime vs tfjs: ${key} max |diff| ${maxDiff.toExponential(2)} (max |output| ${maxAbs.toExponential(2)})`);
      expect(maxDiff / Math.max(1, maxAbs), key).toBeLessThan(1e-4);
    }
  }, 240_000);
});
