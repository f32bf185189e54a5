/**
 * What the analysis calls valid runs in every backend, with the same numbers (issue 11 §3). Generated designs
 * (fast-check, small sizes) use every layer kind and every option; each one the analysis calls valid must:
 * - compile in tfjs with the analysed output shapes and `countParams()` = the analysed params, and run to
 *   finite outputs (on the wasm or, one design in four, the cpu backend);
 * - export to ONNX that ONNX Runtime (onnxruntime-web) runs to tfjs's outputs on the same weights (≤ 1e-4,
 *   relative to the largest output above 1), and that passes `onnx.checker` with the analysed output shapes;
 * - export to PyTorch that builds with the analysed trainable params and batch-norm statistics and computes
 *   tfjs's outputs on the same weights (≤ 1e-4).
 * The Python checks run once, over every design, after the generated ones (one process each).
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS, analyze, KIND_NAMES, type Analysis, type Design, type Shape } from '../../engine/index.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { compileDesign, tf } from '../compile/index.ts';
import { setupNodeBackend } from '../compile/node-backend.ts';
import { toOnnx } from './onnx.ts';
import { toPyTorch } from './pytorch.ts';
import { packTorchWeights, torchStateDict } from './torch-layout.ts';
import { itWithPython, PYTHON, writeTorchCase } from '../../../test/support/python.ts';
import { maxDifference, runOnnx, type Nhwc } from '../../../test/support/onnx-runtime.ts';

/** Designs generated per run (CONVAS_PROPERTY_RUNS overrides): 300 take 40–60 s with the Python checks on a loaded 2-core machine. */
const RUNS = Number(process.env.CONVAS_PROPERTY_RUNS ?? 300);
const SEED = 7;

const int2 = (min: number, max: number) => fc.oneof(fc.integer({ min, max }), fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })));
const padding = fc.oneof(fc.constantFrom('valid', 'same'), int2(0, 2));
const activation = fc.constantFrom(...ACTIVATIONS);
/** Only some keys present, so defaults are exercised too. */
const some = <T extends Record<string, fc.Arbitrary<unknown>>>(r: T, required: (keyof T)[] = []) =>
  fc.record(r, { requiredKeys: required as never });

/**
 * Explicit pool padding above half the window is an error (contract §1, PyTorch's rule; the lead's core change
 * adds it to the analysis): the generator keeps explicit pool padding at most ⌊k/2⌋ per axis.
 */
function poolPaddingAtMostHalf(p: Record<string, unknown>): Record<string, unknown> {
  if (p.padding === undefined || typeof p.padding === 'string') return p;
  const k = typeof p.poolSize === 'number' ? [p.poolSize, p.poolSize] : (p.poolSize as [number, number]);
  const pad = typeof p.padding === 'number' ? [p.padding, p.padding] : (p.padding as [number, number]);
  return { ...p, padding: [Math.min(pad[0], Math.floor(k[0] / 2)), Math.min(pad[1], Math.floor(k[1] / 2))] };
}

/** One layer: its kind and params (every option of every kind), and numbers that pick its inputs. */
const layer = fc.oneof(
  fc.record({ kind: fc.constant('conv2d'), params: some({ filters: fc.integer({ min: 1, max: 6 }), kernelSize: int2(1, 6), strides: int2(1, 4), padding, dilation: int2(1, 3), groups: fc.integer({ min: 1, max: 4 }), useBias: fc.boolean(), activation }, ['filters', 'kernelSize']) }),
  fc.record({ kind: fc.constant('depthwiseConv2d'), params: some({ kernelSize: int2(1, 6), strides: int2(1, 4), padding, dilation: int2(1, 3), depthMultiplier: fc.integer({ min: 1, max: 3 }), useBias: fc.boolean(), activation }, ['kernelSize']) }),
  fc.record({ kind: fc.constant('separableConv2d'), params: some({ filters: fc.integer({ min: 1, max: 6 }), kernelSize: int2(1, 6), strides: int2(1, 4), padding, dilation: int2(1, 3), depthMultiplier: fc.integer({ min: 1, max: 3 }), useBias: fc.boolean(), activation }, ['filters', 'kernelSize']) }),
  ...(['maxPool2d', 'avgPool2d'] as const).map((kind) => fc.record({ kind: fc.constant(kind), params: some({ poolSize: int2(1, 5), strides: int2(1, 4), padding, ceilMode: fc.boolean() }, ['poolSize']).map(poolPaddingAtMostHalf) })),
  ...(['globalAvgPool', 'globalMaxPool', 'flatten'] as const).map((kind) => fc.record({ kind: fc.constant(kind), params: fc.constant({}) })),
  fc.record({ kind: fc.constant('dense'), params: some({ units: fc.integer({ min: 1, max: 6 }), useBias: fc.boolean(), activation }, ['units']) }),
  fc.record({ kind: fc.constant('batchNorm'), params: some({ epsilon: fc.constantFrom(0.001, 0.01, 1e-5), momentum: fc.constantFrom(0.99, 0.9, 0) }) }),
  fc.record({ kind: fc.constant('activation'), params: fc.record({ fn: activation }) }),
  fc.record({ kind: fc.constant('dropout'), params: some({ rate: fc.constantFrom(0, 0.3, 0.5) }) }),
  fc.record({ kind: fc.constant('lrn'), params: some({ depthRadius: fc.integer({ min: 0, max: 3 }), bias: fc.constantFrom(0.5, 1, 2), alpha: fc.constantFrom(1e-4, 0.1, 1), beta: fc.constantFrom(0.5, 0.75, 1) }) }),
  fc.record({ kind: fc.constant('zeroPad2d'), params: fc.record({ padding: int2(0, 2) }) }),
  fc.record({ kind: fc.constant('scale'), params: some({ initValue: fc.constantFrom(1, 1e-6, 0.5, -2) }) }),
  ...(['add', 'concat'] as const).map((kind) => fc.record({ kind: fc.constant(kind), params: fc.constant({}) })),
).chain((l) => fc.record({ kind: fc.constant(l.kind), params: fc.constant(l.params as Record<string, unknown>), pick: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }) }));

const inputShape: fc.Arbitrary<Shape> = fc.oneof(
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })) },
  { weight: 5, arbitrary: fc.tuple(fc.integer({ min: 5, max: 24 }), fc.integer({ min: 5, max: 24 }), fc.integer({ min: 1, max: 8 })) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 8 })) },
);

const spec = fc.record({
  input: inputShape,
  /** a second input, sometimes (designs may have several; it is dropped again where nothing uses it) */
  second: fc.option(inputShape, { freq: 3, nil: undefined }),
  layers: fc.array(layer, { minLength: 1, maxLength: 16 }),
});

/**
 * Builds the design layer by layer, keeping a layer only where the analysis calls the design with it valid;
 * merges take their later inputs among the nodes whose shape fits the first (the same node again included).
 */
function build(s: typeof spec extends fc.Arbitrary<infer T> ? T : never): { design: Design; analysis: Analysis } {
  const b = new DesignBuilder('generated');
  b.input(s.input);
  const shapes = new Map<string, Shape>([['in', s.input]]);
  if (s.second) {
    b.input(s.second, 'in2');
    shapes.set('in2', s.second);
  }
  s.layers.forEach((l, k) => {
    const ids = [...shapes.keys()];
    const first = ids[l.pick[0] % ids.length];
    const srcs = [first];
    if (l.kind === 'add' || l.kind === 'concat') {
      const a = shapes.get(first)!;
      const fits = ids.filter((id) => {
        const x = shapes.get(id)!;
        return l.kind === 'add' ? x.join() === a.join() : x.length === 3 && a.length === 3 && x[0] === a[0] && x[1] === a[1];
      });
      if (fits.length === 0) fits.push(first); // a flat vector concatenated with itself: the analysis refuses it
      for (let j = 1; j < 2 + (l.pick[2] % 2); j++) srcs.push(fits[l.pick[j % 3] % fits.length]);
    }
    const id = `n${k}`;
    b.add(l.kind, l.params, srcs, id);
    const next = analyze(b.design());
    if (!next.valid) {
      b.nodes.pop();
      b.edges.splice(b.edges.length - srcs.length);
      return;
    }
    shapes.set(id, next.nodes.find((n) => n.id === id)!.outputShape!);
  });
  // An input nothing reads would be an output of its own (ONNX: a graph output that is its input); keep one.
  const unused = (id: string) => b.nodes.some((n) => n.id === id) && !b.edges.some((e) => e.source === id);
  if (s.second && unused('in2')) b.nodes = b.nodes.filter((n) => n.id !== 'in2');
  if (s.second && unused('in') && !unused('in2') && b.nodes.some((n) => n.id === 'in2')) b.nodes = b.nodes.filter((n) => n.id !== 'in');
  const design = b.design();
  return { design, analysis: analyze(design) };
}

const nchw = (s: Shape) => (s.length === 3 ? [s[2], s[0], s[1]] : [...s]);

interface Checked {
  key: string;
  design: Design;
  analysis: Analysis;
  inputs: Nhwc[];
  outputs: Nhwc[];
}

beforeAll(async () => {
  await setupNodeBackend('wasm');
});

describe('generated designs run in every backend with the same numbers', () => {
  const checked: Checked[] = [];
  const kindsSeen = new Set<string>();
  let seconds = 0;

  it(`${RUNS} generated designs: tfjs compiles them with the analysed shapes and params, ONNX Runtime computes tfjs's outputs`, async () => {
    const t0 = performance.now();
    // Both tfjs backends `convas run` offers (wasm is the Run tab's too): their faults differ.
    const backendArb = fc.oneof({ weight: 3, arbitrary: fc.constant('wasm' as const) }, { weight: 1, arbitrary: fc.constant('cpu' as const) });
    await fc.assert(fc.asyncProperty(spec, backendArb, async (s, backend) => {
      await setupNodeBackend(backend);
      const { design, analysis } = build(s);
      // A design of its input alone has nothing to run (its ONNX graph's output would be its input).
      fc.pre(design.nodes.some((n) => n.kind !== 'input'));
      const compiled = compileDesign(design, { seed: SEED, init: { everyTensor: true } });
      let inputs: Nhwc[];
      let outputs: Nhwc[];
      try {
        expect(compiled.model.countParams()).toBe(analysis.totals.params);
        const hasOut = new Set(design.edges.map((e) => e.source));
        const outIds = design.nodes.filter((n) => !hasOut.has(n.id)).map((n) => n.id);
        expect(compiled.model.outputs.map((o) => o.shape.slice(1))).toEqual(outIds.map((id) => analysis.nodes.find((n) => n.id === id)!.outputShape));
        const xs = compiled.model.inputs.map((t, i) => tf.randomUniform([1, ...(t.shape.slice(1) as number[])], -1, 1, 'float32', 3 + i));
        const raw = compiled.model.predict(xs.length === 1 ? xs[0] : xs);
        const ys = Array.isArray(raw) ? raw : [raw];
        const read = (t: tf.Tensor): Nhwc => ({ shape: t.shape.slice(), data: Float32Array.from(t.dataSync() as Float32Array) });
        inputs = xs.map(read);
        outputs = ys.map(read);
        tf.dispose([...xs, ...ys]);
      } finally {
        compiled.model.dispose();
      }
      for (const [k, y] of outputs.entries()) expect(y.data.every(Number.isFinite), `tfjs output ${k} is finite`).toBe(true);
      const onnx = toOnnx(design, { seed: SEED, init: { everyTensor: true }, analysis });
      const { maxDiff, maxAbs } = maxDifference(await runOnnx(onnx, inputs), outputs);
      expect(maxDiff / Math.max(1, maxAbs), 'ONNX Runtime vs tfjs').toBeLessThan(1e-4);
      checked.push({ key: `d${checked.length}`, design, analysis, inputs, outputs });
      for (const n of design.nodes) kindsSeen.add(n.kind);
    }), { numRuns: RUNS });
    seconds = (performance.now() - t0) / 1000;
    const layers = checked.reduce((a, c) => a + c.design.nodes.filter((n) => n.kind !== 'input').length, 0);
    const twoInputs = checked.filter((c) => c.design.nodes.filter((n) => n.kind === 'input').length > 1).length;
    console.log(`property test: ${checked.length} designs generated and checked (${layers} layers, ${twoInputs} with two inputs) in tfjs and ONNX Runtime, ${seconds.toFixed(1)} s`);
    // The generator reaches every kind (not a property of one design: of the run).
    expect(KIND_NAMES.filter((k) => !kindsSeen.has(k))).toEqual([]);
  }, 300_000);

  itWithPython(['torch', 'numpy', 'onnx'], 'the same designs: PyTorch builds them with the analysed counts and computes tfjs\'s outputs; onnx.checker passes with the analysed shapes', () => {
    expect(checked.length).toBe(RUNS);
    const t0 = performance.now();
    const dir = mkdtempSync(join(tmpdir(), 'convas-prop-'));
    const torchManifest = checked.map((c) => writeTorchCase(
      dir, c.key, c.key, toPyTorch(c.design, c.analysis),
      packTorchWeights(torchStateDict(c.design, c.analysis, { seed: SEED, init: { everyTensor: true } }), `${c.key}.bin`, SEED), `${c.key}.bin`,
      c.inputs, c.outputs,
    ));
    writeFileSync(join(dir, 'torch.json'), JSON.stringify(torchManifest));
    const onnxManifest = checked.map((c) => {
      const file = join(dir, `${c.key}.onnx`);
      writeFileSync(file, toOnnx(c.design, { seed: SEED, analysis: c.analysis }));
      const hasOut = new Set(c.design.edges.map((e) => e.source));
      return { file, outputs: c.design.nodes.filter((n) => !hasOut.has(n.id)).map((n) => nchw(c.analysis.nodes.find((x) => x.id === n.id)!.outputShape!)) };
    });
    writeFileSync(join(dir, 'onnx.json'), JSON.stringify(onnxManifest));
    const torch = execFileSync(PYTHON, ['scripts/check_torch_weights.py', join(dir, 'torch.json')], { encoding: 'utf8', timeout: 170_000 })
      .trim().split('\n').map((l) => JSON.parse(l) as { file: string; error?: string; params: number; buffers: number; maxDiff: number; maxAbs: number });
    const onnx = execFileSync(PYTHON, ['scripts/check_onnx.py', join(dir, 'onnx.json')], { encoding: 'utf8', timeout: 170_000 })
      .trim().split('\n').map((l) => JSON.parse(l) as { file: string; error: string | null; shapes: unknown });
    expect(torch).toHaveLength(checked.length);
    expect(onnx).toHaveLength(checked.length);
    checked.forEach((c, i) => {
      const why = `${c.key}: ${JSON.stringify(c.design)}`;
      expect(torch[i].error, why).toBeUndefined();
      expect([torch[i].params, torch[i].buffers], why).toEqual([c.analysis.totals.trainableParams, c.analysis.totals.nonTrainableParams]);
      expect(torch[i].maxDiff / Math.max(1, torch[i].maxAbs), `${why}: PyTorch vs tfjs`).toBeLessThan(1e-4);
      expect({ error: onnx[i].error, shapes: onnx[i].shapes }, why).toEqual({ error: null, shapes: onnxManifest[i].outputs });
    });
    console.log(`property test: the ${checked.length} designs checked in PyTorch and onnx.checker in ${((performance.now() - t0) / 1000).toFixed(1)} s (${(seconds + (performance.now() - t0) / 1000).toFixed(1)} s in all)`);
  }, 240_000);
});
