import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, KIND_NAMES } from '../../engine/index.ts';
import type { Design } from '../../engine/index.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { TFJS_RULES } from '../../kinds/tfjs.ts';
import { nodeInitialWeights } from '../../engine/initial-weights.ts';
import { resolve } from '../../engine/resolve.ts';
import { CompileError, compiledNodeWeights, compileDesign, estimateMemoryBytes, featureMapModel, layerName, tf } from './index.ts';
import { setupNodeBackend } from './node-backend.ts';

beforeAll(async () => {
  await setupNodeBackend('wasm');
});

/** Compiles, runs one forward pass, and checks every output against the analysis; returns the outputs. */
function compileAndRun(design: Design, seed = 1): tf.Tensor[] {
  const c = compileDesign(design, { seed });
  const a = analyze(design);
  const x = c.model.inputs.map((t) => tf.randomUniform([1, ...(t.shape.slice(1) as number[])], 0, 1, 'float32', 7));
  const raw = c.model.predict(x.length === 1 ? x[0] : x);
  const ys = Array.isArray(raw) ? raw : [raw];
  const hasOut = new Set(design.edges.map((e) => e.source));
  const outIds = design.nodes.filter((n) => !hasOut.has(n.id)).map((n) => n.id);
  outIds.forEach((id, i) => expect(ys[i].shape.slice(1)).toEqual(a.nodes.find((n) => n.id === id)!.outputShape));
  expect(c.model.countParams()).toBe(a.totals.params);
  tf.dispose(x);
  c.model.dispose();
  return ys;
}

function single(kind: string, params: Record<string, unknown>, shape = [9, 9, 4]): Design {
  const b = new DesignBuilder(kind);
  b.input(shape);
  b.add(kind, params, 'in', 'x');
  return b.design();
}

const CASES: [string, string, Record<string, unknown>, number[]?][] = [
  ['conv2d valid', 'conv2d', { filters: 6, kernelSize: 3 }],
  ['conv2d same stride 2', 'conv2d', { filters: 6, kernelSize: 3, strides: 2, padding: 'same' }],
  ['conv2d explicit padding', 'conv2d', { filters: 6, kernelSize: [3, 5], padding: [1, 2], strides: [2, 1] }],
  ['conv2d dilation', 'conv2d', { filters: 6, kernelSize: 3, dilation: 2, padding: 'same' }],
  ['conv2d dilation explicit', 'conv2d', { filters: 6, kernelSize: 3, dilation: 2, padding: 2 }],
  ['conv2d groups 2', 'conv2d', { filters: 6, kernelSize: 3, groups: 2, activation: 'relu' }],
  ['conv2d groups = Cin', 'conv2d', { filters: 8, kernelSize: 3, groups: 4, useBias: false }],
  ['conv2d grouped softmax', 'conv2d', { filters: 4, kernelSize: 1, groups: 2, activation: 'softmax' }],
  ['depthwiseConv2d', 'depthwiseConv2d', { kernelSize: 3, depthMultiplier: 2, padding: 1, strides: 2 }],
  ['separableConv2d', 'separableConv2d', { filters: 6, kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu' }],
  ['separableConv2d explicit padding, stride 2', 'separableConv2d', { filters: 5, kernelSize: [3, 2], padding: [1, 0], strides: 2, useBias: false }],
  ['separableConv2d dilated and strided', 'separableConv2d', { filters: 3, kernelSize: 3, dilation: 2, strides: 2, padding: 'same' }],
  ['maxPool2d', 'maxPool2d', { poolSize: 2 }],
  ['maxPool2d same', 'maxPool2d', { poolSize: 3, strides: 2, padding: 'same' }],
  ['maxPool2d ceil', 'maxPool2d', { poolSize: 2, ceilMode: true }],
  ['maxPool2d padded ceil', 'maxPool2d', { poolSize: 3, strides: 2, padding: 1, ceilMode: true }, [10, 10, 2]],
  ['avgPool2d', 'avgPool2d', { poolSize: 3, strides: 1, padding: 1 }],
  ['avgPool2d ceil', 'avgPool2d', { poolSize: 2, ceilMode: true }],
  ['globalAvgPool', 'globalAvgPool', {}],
  ['globalMaxPool', 'globalMaxPool', {}],
  ['flatten', 'flatten', {}],
  ['dense', 'dense', { units: 5, activation: 'softmax' }, [12]],
  ['batchNorm', 'batchNorm', { epsilon: 1e-5, momentum: 0.9 }],
  ['dropout', 'dropout', { rate: 0.3 }],
  ['lrn', 'lrn', { depthRadius: 2, bias: 1, alpha: 1e-3, beta: 0.75 }],
  ['zeroPad2d', 'zeroPad2d', { padding: [1, 2] }],
  ['scale', 'scale', { initValue: 1e-6 }],
  ['scale on a vector', 'scale', { initValue: 0.5 }, [12]],
  ['layerNorm', 'layerNorm', {}],
  ['layerNorm on a vector', 'layerNorm', { epsilon: 1e-3 }, [12]],
  ...(['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'tanh', 'softmax', 'softplus', 'swish'] as const).map(
    (fn) => [`activation ${fn}`, 'activation', { fn }] as [string, string, Record<string, unknown>],
  ),
];

describe('every kind compiles to its analysed shape', () => {
  it('has a rule for every kind', () => {
    expect(Object.keys(TFJS_RULES).sort()).toEqual([...KIND_NAMES].sort());
    for (const rule of Object.values(TFJS_RULES)) {
      expect([typeof rule.compile, typeof rule.readWeights, typeof rule.memory]).toEqual(['function', 'function', 'function']);
    }
  });

  it.each(CASES)('%s', (_label, kind, params, shape) => {
    const ys = compileAndRun(single(kind, params, shape));
    tf.dispose(ys);
  });

  it('add and concat (and a second input)', () => {
    const b = new DesignBuilder('merge');
    b.input([8, 8, 3]);
    const a1 = b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, 'in', 'a1');
    const a2 = b.add('conv2d', { filters: 4, kernelSize: 1 }, 'in', 'a2');
    const s = b.add('add', {}, [a1, a2], 'sum');
    b.input([8, 8, 2], 'in2');
    b.add('concat', {}, [s, 'in2', a1], 'cat');
    tf.dispose(compileAndRun(b.design()));
  });
});

describe('exact semantics', () => {
  /** Brute-force max pool with −∞ padding (PyTorch). */
  function refMaxPool(x: number[][], k: number, s: number, p: number, outH: number, outW: number) {
    const out: number[] = [];
    for (let i = 0; i < outH; i++) {
      for (let j = 0; j < outW; j++) {
        let m = -Infinity;
        for (let di = 0; di < k; di++) {
          for (let dj = 0; dj < k; dj++) {
            const r = i * s - p + di;
            const c = j * s - p + dj;
            if (r >= 0 && c >= 0 && r < x.length && c < x[0].length) m = Math.max(m, x[r][c]);
          }
        }
        out.push(m);
      }
    }
    return out;
  }

  /** Compiles one ceil-mode pool over a size×size single-channel grid (1, 2, 3, … row by row, negated for max) and runs it. */
  async function ceilPool(kind: 'maxPool2d' | 'avgPool2d', size: number, k: number, s: number, p: number) {
    const c = compileDesign(single(kind, { poolSize: k, strides: s, padding: p, ceilMode: true }, [size, size, 1]));
    const sign = kind === 'maxPool2d' ? -1 : 1;
    const grid = Array.from({ length: size }, (_, r) => Array.from({ length: size }, (_, q) => sign * (1 + r * size + q)));
    const x = tf.tensor4d(grid.flat(), [1, size, size, 1]);
    const y = c.model.predict(x) as tf.Tensor;
    const out = { grid, shape: y.shape, values: Array.from(await y.data()) };
    tf.dispose([x, y]);
    c.model.dispose();
    return out;
  }

  const CEIL_CASES: [number, number, number, number, number][] = [
    [5, 2, 2, 0, 3],
    [6, 3, 2, 1, 4],
    [7, 3, 2, 0, 3],
    [10, 3, 2, 1, 6],
    [12, 3, 3, 1, 5],
  ];

  it.each(CEIL_CASES)('ceilMode max pool on %i×…, k %i s %i p %i → %i: pads with −∞', async (size, k, s, p, n) => {
    const r = await ceilPool('maxPool2d', size, k, s, p);
    expect(r.shape).toEqual([1, n, n, 1]);
    expect(r.values).toEqual(refMaxPool(r.grid, k, s, p, n, n));
  });

  /**
   * Brute-force average pool as PyTorch computes it (count_include_pad=True): zeros for the explicit padding,
   * divided by the window clipped to the padded input, so the extra cells of ceil mode never count.
   */
  function refAvgPool(x: number[][], k: number, s: number, p: number, outH: number, outW: number) {
    const out: number[] = [];
    const H = x.length;
    const W = x[0].length;
    for (let i = 0; i < outH; i++) {
      for (let j = 0; j < outW; j++) {
        const r0 = i * s - p;
        const c0 = j * s - p;
        const count = (Math.min(r0 + k, H + p) - r0) * (Math.min(c0 + k, W + p) - c0);
        let sum = 0;
        for (let r = Math.max(r0, 0); r < Math.min(r0 + k, H); r++) for (let c = Math.max(c0, 0); c < Math.min(c0 + k, W); c++) sum += x[r][c];
        out.push(sum / count);
      }
    }
    return out;
  }

  it.each(CEIL_CASES)('ceilMode avg pool on %i×…, k %i s %i p %i → %i: divides by the covered window, as PyTorch does', async (size, k, s, p, n) => {
    const r = await ceilPool('avgPool2d', size, k, s, p);
    expect(r.shape).toEqual([1, n, n, 1]);
    const want = refAvgPool(r.grid, k, s, p, n, n);
    r.values.forEach((v, i) => expect(v).toBeCloseTo(want[i], 4));
  });

  it('grouped conv: parameter count, and each group sees only its own channels', async () => {
    const design = single('conv2d', { filters: 6, kernelSize: 3, groups: 3, padding: 'same' }, [5, 5, 6]);
    expect(analyze(design).totals.params).toBe(3 * 3 * 2 * 6 + 6);
    const c = compileDesign(design, { seed: 3 });
    expect(c.model.countParams()).toBe(114);
    const x0 = tf.randomUniform([1, 5, 5, 6], 0, 1, 'float32', 1);
    const bump = tf.oneHot([2], 6).reshape([1, 1, 1, 6]); // add 1 to channel 2 (group 1) everywhere
    const x1 = x0.add(bump);
    const d = (c.model.predict(x1) as tf.Tensor).sub(c.model.predict(x0) as tf.Tensor).abs().max([0, 1, 2]);
    const changed = Array.from(await d.data()).map((v) => v > 1e-5);
    expect(changed).toEqual([false, false, true, true, false, false]);
    c.model.dispose();
  });

  it('concat follows targetPort, else edge order', async () => {
    const b = new DesignBuilder('ports');
    b.input([4, 4, 1]);
    b.add('conv2d', { filters: 2, kernelSize: 1 }, 'in', 'A');
    b.add('conv2d', { filters: 3, kernelSize: 1 }, 'in', 'B');
    b.add('concat', {}, ['A', 'B'], 'cat');
    const design = b.design();
    const catEdges = design.edges.filter((e) => e.target === 'cat');
    catEdges[0].targetPort = 1; // A second
    catEdges[1].targetPort = 0; // B first
    const c = compileDesign(design, { seed: 5 });
    const x = tf.randomUniform([1, 4, 4, 1], 0, 1, 'float32', 2);
    const [a, bb, cat] = ['A', 'B', 'cat'].map((id) => featureMapModel(c, id).predict(x) as tf.Tensor);
    expect(cat.shape).toEqual([1, 4, 4, 5]);
    expect(Array.from(await cat.slice([0, 0, 0, 0], [1, 4, 4, 3]).data())).toEqual(Array.from(await bb.data()));
    expect(Array.from(await cat.slice([0, 0, 0, 3], [1, 4, 4, 2]).data())).toEqual(Array.from(await a.data()));
    c.model.dispose();
  });

  it('explicit conv padding is zero padding (PyTorch rule)', async () => {
    const design = single('conv2d', { filters: 1, kernelSize: 3, padding: 1, useBias: false }, [3, 3, 1]);
    const c = compileDesign(design);
    c.model.getLayer('x').setWeights([tf.ones([3, 3, 1, 1])]);
    const y = c.model.predict(tf.ones([1, 3, 3, 1])) as tf.Tensor;
    expect(Array.from(await y.data())).toEqual([4, 6, 4, 6, 9, 6, 4, 6, 4]);
    c.model.dispose();
  });

  it('avg pool with explicit padding counts the zero padding (PyTorch count_include_pad=True)', async () => {
    const c = compileDesign(single('avgPool2d', { poolSize: 3, strides: 1, padding: 1 }, [3, 3, 1]));
    const y = c.model.predict(tf.ones([1, 3, 3, 1])) as tf.Tensor;
    const v = Array.from(await y.data());
    expect(v[0]).toBeCloseTo(4 / 9, 6);
    expect(v[4]).toBeCloseTo(1, 6);
    c.model.dispose();
  });

  it('lrn is tf.localResponseNormalization (TensorFlow alpha, not divided by the window)', async () => {
    const c = compileDesign(single('lrn', { depthRadius: 1, bias: 1, alpha: 0.5, beta: 1 }, [1, 1, 3]));
    const y = c.model.predict(tf.tensor4d([1, 2, 3], [1, 1, 1, 3])) as tf.Tensor;
    const v = Array.from(await y.data());
    expect(v[0]).toBeCloseTo(1 / (1 + 0.5 * (1 + 4)), 5);
    expect(v[1]).toBeCloseTo(2 / (1 + 0.5 * (1 + 4 + 9)), 5);
    c.model.dispose();
  });

  it('same seed → same outputs; different seeds differ', async () => {
    const b = new DesignBuilder('seeded');
    b.input([8, 8, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3, activation: 'relu' });
    b.add('flatten');
    b.add('dense', { units: 3, activation: 'softmax' });
    const design = b.design();
    const run = async (seed: number) => {
      const c = compileDesign(design, { seed });
      const y = c.model.predict(tf.ones([1, 8, 8, 3])) as tf.Tensor;
      const v = Array.from(await y.data());
      c.model.dispose();
      return v;
    };
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(await run(12)).not.toEqual(a);
  });

  it('node ids that collide with helper layer names or with each other once sanitized still compile', () => {
    const b = new DesignBuilder('names');
    b.input([6, 6, 2], 'in:put');
    b.add('conv2d', { filters: 2, kernelSize: 3, padding: 1 }, 'in:put', 'c1');
    b.add('maxPool2d', { poolSize: 2, padding: 1 }, 'c1', 'c1__pad');
    b.add('activation', { fn: 'relu' }, 'c1__pad', 'in_put');
    const c = compileDesign(b.design());
    expect(c.model.layers.map((l) => l.name)).toContain('in_put_2');
    c.model.dispose();
  });

  it('layer names come from node ids, sanitized', () => {
    expect(layerName('block1:conv.a-b')).toBe('block1_conv.a-b');
    expect(layerName('_x')).toBe('n_x');
  });
});

describe('weights read back from a compiled model (each rule\'s readWeights)', () => {
  // The reference is the seeded generator the compiled layers were given (engine/initial-weights.ts): reading back
  // must return its tensors exactly, whatever helper layers (group slices, the stride-1 subsample) the rule added.
  it.each([
    ['conv2d', { filters: 6, kernelSize: 3 }],
    ['conv2d dilated strided (its output is the __stride subsample)', { filters: 6, kernelSize: 3, dilation: 2, strides: 2, padding: 'same' }],
    ['conv2d groups = Cin, dilated strided', { filters: 8, kernelSize: 3, groups: 4, dilation: 2, strides: 2 }],
    ['conv2d groups 2, dilated strided, relu', { filters: 6, kernelSize: 3, groups: 2, dilation: 2, strides: 2, activation: 'relu', useBias: false }],
  ] as [string, Record<string, unknown>][])('%s', (_label, params) => {
    const design = single('conv2d', params);
    const compiled = compileDesign(design, { seed: 5, init: { everyTensor: true } });
    const got = compiledNodeWeights(compiled, 'x');
    compiled.model.dispose();
    const want = nodeInitialWeights(resolve(design).byId.get('x')!, 5, { everyTensor: true });
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const k of Object.keys(want) as (keyof typeof want)[]) {
      expect(got[k]!.shape, k).toEqual(want[k]!.shape);
      expect(Buffer.from(got[k]!.data.buffer, got[k]!.data.byteOffset, got[k]!.data.byteLength).equals(Buffer.from(want[k]!.data.buffer, want[k]!.data.byteOffset, want[k]!.data.byteLength)), k).toBe(true);
    }
  });
});

describe('refusals', () => {
  it('memory guard refuses an absurd design before allocating anything', () => {
    const design = single('conv2d', { filters: 512, kernelSize: 3, padding: 'same' }, [4096, 4096, 3]);
    expect(estimateMemoryBytes(analyze(design))).toBeGreaterThan(2 ** 31);
    const before = tf.memory().numTensors;
    expect(() => compileDesign(design)).toThrow(/memory budget/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("layer norm's memory terms are what tfjs holds during its call (tf.profile's peak of the layer above its input and output, on wasm and cpu)", async () => {
    const shape = [16, 20, 24];
    const size = shape.reduce((p, q) => p * q, 1);
    const terms = TFJS_RULES.layerNorm.memory({ params: { epsilon: 1e-6 }, inputShapes: [shape], outputShape: shape });
    for (const backend of ['cpu', 'wasm'] as const) {
      await setupNodeBackend(backend);
      const c = compileDesign(single('layerNorm', {}, shape));
      const x = tf.randomUniform([1, ...shape]);
      const layer = c.model.getLayer('x');
      const before = tf.memory().numBytes;
      const profile = await tf.profile(() => layer.apply(x) as tf.Tensor);
      // the output is counted as an activation; the rest is the kind's terms, to the element
      expect(profile.peakBytes - before - 4 * size, backend).toBe(4 * terms.elements);
      tf.dispose([x, profile.result as tf.Tensor]);
      c.model.dispose();
    }
  });

  it('memory budget is configurable', () => {
    const design = single('conv2d', { filters: 8, kernelSize: 3 }, [32, 32, 3]);
    expect(() => compileDesign(design, { memoryBudgetBytes: 1000 })).toThrow(CompileError);
    compileDesign(design, { memoryBudgetBytes: 10_000_000 }).model.dispose();
  });

  it('an invalid design is refused with the analysis errors', () => {
    const design = single('conv2d', { filters: 2, kernelSize: 30 }, [8, 8, 1]);
    try {
      compileDesign(design);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CompileError);
      expect((e as CompileError).reason).toBe('invalid');
      const [error] = analyze(design).errors;
      // the message names the node, as every list of errors does (formatError)
      expect((e as Error).message).toContain(`conv2d '${error.nodeId}': ${error.message}`);
    }
  });
});
