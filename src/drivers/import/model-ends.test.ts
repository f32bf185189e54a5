/**
 * The model's inputs and outputs, in order, through every door (docs/design-format.md#outputs). Four Keras topologies
 * built from public bug reports (test/fixtures/keras-ends.ts) import with Keras's input and output order; the
 * reference is tfjs's own loader (`tf.loadLayersModel` on the same topology): the same number, order, shapes and
 * values of outputs from `predict([A, B, …])`, and the same from Convas's PyTorch export (in PyTorch) and ONNX
 * export (in onnxruntime) on the loader's weights.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, modelIO, type Design } from '../../engine/index.ts';
import { compileDesign, compiledNodeWeights, tf } from '../compile/index.ts';
import { loadWeightsInto } from '../compile/load-weights.ts';
import type { ModelJson } from '../compile/model-json.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';
import { serializeLayersModel } from '../compile/serialize.ts';
import { toOnnx } from '../export/onnx.ts';
import { toPyTorch } from '../export/pytorch.ts';
import { packTorchWeights, torchStateDict } from '../export/torch-layout.ts';
import { ENDS_CASES, type EndsCase } from '../../../test/fixtures/keras-ends.ts';
import { maxDifference, runOnnx, type Nhwc } from '../../../test/support/onnx-runtime.ts';
import { itWithPython, PYTHON, writeTorchCase } from '../../../test/support/python.ts';
import { ImportError, importKeras } from './keras-import.ts';

beforeAll(async () => {
  await setupNodeBackend('cpu');
});

/** Seeded inputs in the model's order, `[1, ...shape]`, values in [−1, 1). */
function inputsFor(shapes: number[][], seed: number): Nhwc[] {
  return shapes.map((s, k) => tf.tidy(() => {
    const t = tf.randomUniform([1, ...s], -1, 1, 'float32', seed + k);
    return { shape: t.shape.slice(), data: Float32Array.from(t.dataSync() as Float32Array) };
  }));
}

/** `model.predict(xs)`'s outputs, in order, read out. */
function predict(model: tf.LayersModel, xs: Nhwc[]): Nhwc[] {
  return tf.tidy(() => {
    const ins = xs.map((x) => tf.tensor(x.data, x.shape));
    const y = model.predict(ins.length === 1 ? ins[0] : ins);
    return (Array.isArray(y) ? y : [y]).map((t) => ({ shape: t.shape.slice(), data: Float32Array.from(t.dataSync() as Float32Array) }));
  });
}

/**
 * tfjs's own model of a case's topology (its initializers' weights, biases set to non-zero values so a swapped
 * output shows) and those weights as a tfjs weights manifest and data.
 */
async function reference(c: EndsCase): Promise<{ model: tf.LayersModel; json: ModelJson; weights: ArrayBuffer }> {
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: c.topology }));
  model.setWeights(model.getWeights().map((w, k) => tf.tidy(() => tf.randomUniform(w.shape, -0.5, 0.5, 'float32', 40 + k))));
  const { modelJson, weights } = await serializeLayersModel(model, 'weights.bin');
  return { model, json: JSON.parse(modelJson) as ModelJson, weights };
}

function expectClose(got: Nhwc[], want: Nhwc[], what: string) {
  expect(got.map((t) => t.shape), `${what}: output shapes`).toEqual(want.map((t) => t.shape));
  const { maxDiff, maxAbs } = maxDifference(got, want);
  expect(maxAbs, `${what}: outputs are not all zero`).toBeGreaterThan(0.01);
  expect(maxDiff, what).toBeLessThanOrEqual(1e-5 * Math.max(1, maxAbs));
}

describe('input and output order through the Keras/tfjs import, against tfjs\'s own loader', () => {
  for (const make of ENDS_CASES) {
    const c = make();
    it(`${c.source}: inputs [${c.inputs.join(', ')}] and outputs [${c.outputs.join(', ')}], same values as tf.loadLayersModel`, async () => {
      const design = importKeras(c.topology);
      expect(analyze(design).errors).toEqual([]);
      const io = modelIO(design);
      expect(io.inputs.map((n) => n.id)).toEqual(c.inputs);
      expect(io.outputs.map((n) => n.id)).toEqual(c.outputs);
      const ref = await reference(c);
      expect(ref.model.inputs.map((t) => t.shape.slice(1))).toEqual(c.shapes);
      const compiled = compileDesign(design, { seed: 3 });
      try {
        loadWeightsInto(compiled.model, { specs: ref.json.weightsManifest[0].weights, data: ref.weights, fileName: 'model.json' });
        const xs = inputsFor(c.shapes, 11);
        const want = predict(ref.model, xs);
        expect(want.length).toBe(c.outputs.length);
        expectClose(predict(compiled.model, xs), want, 'Convas\'s tfjs model');
        // the ONNX export on the same weights, in onnxruntime: graph inputs and outputs in the model's order
        const state = torchStateDict(design, compiled.analysis, { weightsOf: (id) => compiledNodeWeights(compiled, id) });
        expectClose(await runOnnx(toOnnx(design, { weights: state, analysis: compiled.analysis }), xs), want, 'ONNX export in onnxruntime');
      } finally {
        compiled.model.dispose();
        ref.model.dispose();
      }
    });
  }

  itWithPython(['torch', 'numpy'], 'the PyTorch exports take the inputs and return the outputs in Keras\'s order, with tfjs\'s loader\'s values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convas-ends-'));
    const cases = [];
    for (const [k, make] of ENDS_CASES.entries()) {
      const c = make();
      const design = importKeras(c.topology);
      const ref = await reference(c);
      const compiled = compileDesign(design, { seed: 3 });
      try {
        loadWeightsInto(compiled.model, { specs: ref.json.weightsManifest[0].weights, data: ref.weights, fileName: 'model.json' });
        const xs = inputsFor(c.shapes, 17);
        const state = torchStateDict(design, compiled.analysis, { weightsOf: (id) => compiledNodeWeights(compiled, id) });
        cases.push(writeTorchCase(dir, `case${k}`, `ends_${k}`, toPyTorch(design, compiled.analysis), packTorchWeights(state, `ends_${k}.bin`, null), `ends_${k}.bin`, xs, predict(ref.model, xs)));
      } finally {
        compiled.model.dispose();
        ref.model.dispose();
      }
    }
    const manifest = join(dir, 'manifest.json');
    writeFileSync(manifest, JSON.stringify(cases));
    const r = spawnSync(PYTHON, ['scripts/check_torch_weights.py', manifest], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; error?: string; maxDiff: number; maxAbs: number });
    expect(rows.length).toBe(ENDS_CASES.length);
    for (const row of rows) {
      expect(row.error, row.file).toBeUndefined();
      expect(row.maxAbs, row.file).toBeGreaterThan(0.01);
      expect(row.maxDiff, row.file).toBeLessThanOrEqual(1e-5 * Math.max(1, row.maxAbs));
    }
  }, 180_000);
});

describe('what the importer writes', () => {
  it('writes `outputs` only where the outputs are not the consumer-less nodes in file order', () => {
    const [features, joined, box, order] = ENDS_CASES.map((make) => importKeras(make().topology));
    expect(features.outputs).toEqual(['features', 'logits']);
    expect(joined.outputs).toEqual(['in_1', 'in_2', 'in_3', 'in_4', 'joined']);
    expect(box.outputs).toEqual(['box', 'cls']);
    expect(order.outputs).toBeUndefined(); // 'out' is the one node that feeds nothing
    // the inputs swap places in the file; every other node keeps its place
    expect(order.nodes.map((n) => n.id)).toEqual(['input_1', 'input_2', 'd1', 'd2', 'cat', 'out']);
  });

  it('reads Keras 3\'s bare reference for one input or output, and refuses what it cannot keep, naming the layer', () => {
    const c = ENDS_CASES[2]();
    const cfg = c.topology.config as Record<string, unknown>;
    const k3 = { ...c.topology, config: { ...cfg, input_layers: ['image', 0, 0], output_layers: [['box', 0, 0], ['cls', 0, 0]] } };
    expect(importKeras(k3).outputs).toEqual(['box', 'cls']);
    const refused = (patch: Record<string, unknown>) => {
      try {
        importKeras({ ...c.topology, config: { ...cfg, ...patch } });
      } catch (e) {
        expect(e).toBeInstanceOf(ImportError);
        return (e as Error).message;
      }
      return 'imported';
    };
    expect(refused({ output_layers: [['box', 0, 0], ['box', 0, 0]] })).toMatch(/'box' is listed twice/);
    expect(refused({ output_layers: [['nothing', 0, 0]] })).toMatch(/layer 'nothing' is not one of the model's layers/);
    expect(refused({ output_layers: { box: ['box', 0, 0] } })).toMatch(/output_layers.*named inputs and outputs are not supported/);
    expect(refused({ output_layers: [['box', 1, 0]] })).toMatch(/call 1 of layer 'box'/);
    expect(refused({ input_layers: [['backbone', 0, 0]] })).toMatch(/'backbone' is a Conv2D, not an InputLayer/);
  });
});

/** A design with two inputs of different shapes listed against file order, and outputs `[box, cls]` (box also feeds on). */
function twoHeads(): Design {
  return {
    format: 'convas.design', version: 1, name: 'two heads',
    nodes: [
      { id: 'b', kind: 'input', params: { shape: [3] } },
      { id: 'a', kind: 'input', params: { shape: [5] } },
      { id: 'da', kind: 'dense', params: { units: 4, activation: 'relu' } },
      { id: 'db', kind: 'dense', params: { units: 4, activation: 'relu' } },
      { id: 'cat', kind: 'concat', params: {} },
      { id: 'cls', kind: 'dense', params: { units: 3, activation: 'softmax' } },
      { id: 'box', kind: 'dense', params: { units: 4 } },
      { id: 'refine', kind: 'dense', params: { units: 2 } },
    ],
    edges: [
      { source: 'a', target: 'da' }, { source: 'b', target: 'db' },
      { source: 'da', target: 'cat' }, { source: 'db', target: 'cat' },
      { source: 'cat', target: 'cls' }, { source: 'cat', target: 'box' }, { source: 'box', target: 'refine' },
    ],
    outputs: ['box', 'refine', 'cls', 'a'],
  };
}

describe('a round trip through every format keeps the order', () => {
  it('design file, tfjs export → import, tfjs predict and ONNX graph', async () => {
    const design = twoHeads();
    expect(analyze(design).errors).toEqual([]);
    const { parseDesignText, designToText } = await import('../../engine/index.ts');
    const reread = parseDesignText(designToText(design));
    expect(reread.ok && reread.design.outputs).toEqual(['box', 'refine', 'cls', 'a']);

    const compiled = compileDesign(design, { seed: 5 });
    try {
      const { modelJson, weights } = await serializeLayersModel(compiled.model, 'weights.bin');
      const json = JSON.parse(modelJson) as { modelTopology: { config: { input_layers: unknown[]; output_layers: unknown[] } }; weightsManifest: ModelJson['weightsManifest'] };
      expect(json.modelTopology.config.input_layers).toEqual([['b', 0, 0], ['a', 0, 0]]);
      expect(json.modelTopology.config.output_layers).toEqual([['box', 0, 0], ['refine', 0, 0], ['cls', 0, 0], ['a', 0, 0]]);
      const back = importKeras(json);
      expect(modelIO(back).inputs.map((n) => n.id)).toEqual(['b', 'a']);
      expect(back.outputs).toEqual(['box', 'refine', 'cls', 'a']);
      // tfjs's own loader on the export, Convas's model and the re-imported design give the same outputs
      const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights }));
      const again = compileDesign(back, { seed: 99 });
      try {
        loadWeightsInto(again.model, { specs: json.weightsManifest[0].weights, data: weights, fileName: 'model.json' });
        const xs = inputsFor([[3], [5]], 23);
        const want = predict(compiled.model, xs);
        expect(want.map((t) => t.shape)).toEqual([[1, 4], [1, 2], [1, 3], [1, 5]]);
        expect(Array.from(want[3].data)).toEqual(Array.from(xs[1].data)); // the input 'a' comes out as it went in
        expectClose(predict(loaded, xs), want, 'tf.loadLayersModel on the export');
        expectClose(predict(again.model, xs), want, 'the re-imported design');
        const state = torchStateDict(design, compiled.analysis, { weightsOf: (id) => compiledNodeWeights(compiled, id) });
        expectClose(await runOnnx(toOnnx(design, { weights: state, analysis: compiled.analysis }), xs), want, 'ONNX export in onnxruntime');
      } finally {
        loaded.dispose();
        again.model.dispose();
      }
    } finally {
      compiled.model.dispose();
    }
  });

  it('the PyTorch forward takes (b, a) and returns (box, refine, cls, a)', () => {
    const py = toPyTorch(twoHeads());
    expect(py).toMatch(/def forward\(self, x_b, x_a\):/);
    expect(py).toMatch(/return \(x_box, x_refine, x_cls, x_a\)/);
  });
});

describe('the command line keeps the order', () => {
  function convas(args: string[]) {
    const r = spawnSync('node', ['bin/convas.js', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  }

  it('`convas import` writes the outputs list; `convas run --json` lists box before cls and takes the inputs in Keras\'s order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convas-ends-cli-'));
    const box = ENDS_CASES[2]();
    writeFileSync(join(dir, 'box.json'), JSON.stringify({ format: 'layers-model', modelTopology: box.topology }));
    const imported = convas(['import', join(dir, 'box.json'), '--out', join(dir, 'box.convas.json')]);
    expect(imported.code, imported.err).toBe(0);
    const run = convas(['run', join(dir, 'box.convas.json'), '--json', '--backend', 'cpu']);
    expect(run.code, run.err).toBe(0);
    const report = JSON.parse(run.out) as { outputs: Record<string, number[]>; stats: Record<string, unknown>; top: Record<string, unknown> };
    expect(Object.entries(report.outputs)).toEqual([['box', [4]], ['cls', [3]]]);
    expect(Object.keys(report.stats)).toEqual(['box', 'cls']);
    expect(Object.keys(report.top)).toEqual(['cls']); // the softmax head

    const two = ENDS_CASES[3]();
    writeFileSync(join(dir, 'two.json'), JSON.stringify({ format: 'layers-model', modelTopology: two.topology }));
    expect(convas(['import', join(dir, 'two.json'), '--out', join(dir, 'two.convas.json')]).code).toBe(0);
    const twoRun = convas(['run', join(dir, 'two.convas.json'), '--json', '--backend', 'cpu']);
    expect(twoRun.code, twoRun.err).toBe(0);
    expect((JSON.parse(twoRun.out) as { outputs: Record<string, number[]> }).outputs).toEqual({ out: [2] });
    const py = convas(['export', join(dir, 'two.convas.json'), '--to', 'pytorch', '--out', join(dir, 'two.py')]);
    expect(py.code, py.err).toBe(0);
    expect(readFileSync(join(dir, 'two.py'), 'utf8')).toMatch(/def forward\(self, x_input_1, x_input_2\):/);
  }, 60_000);
});

describe('the ONNX exports are valid ONNX', () => {
  itWithPython(['onnx'], 'onnx.checker (full check) passes on each case, inputs that are outputs included, and the graph lists the inputs and outputs in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convas-ends-onnx-'));
    const designs = [...ENDS_CASES.map((make) => importKeras(make().topology)), twoHeads()];
    const files = designs.map((d, k) => {
      const file = join(dir, `case${k}.onnx`);
      writeFileSync(file, toOnnx(d));
      return file;
    });
    const script = `
import json, sys, onnx
for f in sys.argv[1:]:
    m = onnx.load(f)
    onnx.checker.check_model(m, full_check=True)
    print(json.dumps([[i.name for i in m.graph.input], [o.name for o in m.graph.output]]))
`;
    const r = spawnSync(PYTHON, ['-c', script, ...files], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const ends = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as [string[], string[]]);
    expect(ends).toEqual([
      [['image'], ['features', 'logits']],
      [['in_1', 'in_2', 'in_3', 'in_4'], ['in_1__output', 'in_2__output', 'in_3__output', 'in_4__output', 'joined']],
      [['image'], ['box', 'cls']],
      [['input_1', 'input_2'], ['out']],
      [['b', 'a'], ['box', 'refine', 'cls', 'a__output']],
    ]);
  }, 60_000);
});
