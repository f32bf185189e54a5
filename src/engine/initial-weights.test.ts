import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.ts';
import { DEFAULT_SEED, nodeInitialWeights } from './initial-weights.ts';
import { KIND_NAMES } from './registry.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';

/** One design per kind, fed an image [6, 7, 4] (flat [12] for dense), with options that change the counts. */
const CASES: [string, Record<string, unknown>, number[]][] = [
  ['conv2d', { filters: 6, kernelSize: [3, 2] }, [6, 7, 4]],
  ['conv2d', { filters: 6, kernelSize: 3, groups: 2, useBias: false }, [6, 7, 4]],
  ['depthwiseConv2d', { kernelSize: 3, depthMultiplier: 3 }, [6, 7, 4]],
  ['separableConv2d', { filters: 5, kernelSize: [3, 2], depthMultiplier: 2 }, [6, 7, 4]],
  ['separableConv2d', { filters: 5, kernelSize: 3, useBias: false }, [6, 7, 4]],
  ['dense', { units: 5 }, [12]],
  ['dense', { units: 5, useBias: false }, [12]],
  ['batchNorm', {}, [6, 7, 4]],
  ['batchNorm', {}, [12]],
  ['maxPool2d', { poolSize: 2 }, [6, 7, 4]],
  ['avgPool2d', { poolSize: 2 }, [6, 7, 4]],
  ['globalAvgPool', {}, [6, 7, 4]],
  ['globalMaxPool', {}, [6, 7, 4]],
  ['flatten', {}, [6, 7, 4]],
  ['activation', { fn: 'relu' }, [6, 7, 4]],
  ['dropout', {}, [6, 7, 4]],
  ['lrn', {}, [6, 7, 4]],
  ['zeroPad2d', { padding: 1 }, [6, 7, 4]],
  ['scale', { initValue: 1e-6 }, [6, 7, 4]],
  ['scale', {}, [12]],
];

const count = (w: ReturnType<typeof nodeInitialWeights>) => Object.values(w).reduce((s, t) => s + t!.data.length, 0);

describe('initial weights (one generator for every backend)', () => {
  it('covers every registered kind that a single input can feed, and holds exactly the analysed parameters', () => {
    const kinds = new Set(CASES.map(([k]) => k));
    expect(KIND_NAMES.filter((k) => !kinds.has(k) && !['input', 'add', 'concat'].includes(k))).toEqual([]);
    for (const [kind, params, shape] of CASES) {
      const b = new DesignBuilder();
      b.input(shape);
      b.add(kind, params, 'in', 'x');
      const row = analyze(b.design()).nodes.find((n) => n.id === 'x')!;
      expect(row.error, kind).toBeUndefined();
      for (const everyTensor of [false, true]) {
        const w = nodeInitialWeights(b.nodes[1], shape, 1, { everyTensor });
        expect(count(w), `${kind} ${JSON.stringify(params)}`).toBe(row.params);
        for (const t of Object.values(w)) expect(t!.data.length).toBe(t!.shape.reduce((a, c) => a * c, 1));
      }
    }
  });

  it('draws Glorot uniform kernels within ±√(6 / (fanIn + fanOut)), zero biases, Keras batch-norm starts and layer-scale factors at their initial value', () => {
    const b = new DesignBuilder();
    b.input([6, 7, 4]);
    b.add('conv2d', { filters: 6, kernelSize: 3, groups: 2 }, 'in', 'c');
    b.add('batchNorm', {}, 'c', 'bn');
    const w = nodeInitialWeights(b.nodes[1], [6, 7, 4], 9);
    expect(w.kernel!.shape).toEqual([3, 3, 2, 6]);
    const limit = Math.sqrt(6 / (3 * 3 * 2 + 3 * 3 * 3));
    const k = Array.from(w.kernel!.data);
    expect(Math.max(...k.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...k.map(Math.abs))).toBeGreaterThan(0.8 * limit); // spread over the range, not squeezed
    expect(Array.from(w.bias!.data)).toEqual(new Array(6).fill(0));
    const bn = nodeInitialWeights(b.nodes[2], [6, 7, 6], 9);
    expect([bn.gamma, bn.beta, bn.movingMean, bn.movingVariance].map((t) => Array.from(t!.data))).toEqual([1, 0, 0, 1].map((v) => new Array(6).fill(v)));
    // layer scale starts every factor at initValue (ConvNeXt's 1e-6), not at random
    b.add('scale', { initValue: 1e-6 }, 'bn', 'ls');
    const ls = nodeInitialWeights(b.nodes[3], [6, 7, 6], 9);
    expect(ls.gamma!.shape).toEqual([6]);
    expect(Array.from(ls.gamma!.data)).toEqual(new Array(6).fill(Math.fround(1e-6)));
  });

  it('is a function of the seed and the node id only: same seed same bits, another seed or node other values', () => {
    const b = new DesignBuilder();
    b.input([5, 5, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3 }, 'in', 'a');
    const node = b.nodes[1];
    const bits = (seed: number, id = 'a') => Buffer.from(nodeInitialWeights({ ...node, id }, [5, 5, 3], seed).kernel!.data.buffer);
    expect(bits(DEFAULT_SEED).equals(bits(DEFAULT_SEED))).toBe(true);
    expect(bits(1).equals(bits(2))).toBe(false);
    expect(bits(1).equals(bits(1, 'b'))).toBe(false);
    expect(bits(-1).equals(bits(2 ** 32 - 1))).toBe(false);
  });
});
