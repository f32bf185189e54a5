import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, nodeInitialWeights } from './initial-weights.ts';
import { getLayerKind, KIND_NAMES } from './registry.ts';
import { resolve } from './resolve.ts';
import { KIND_EXAMPLES } from '../kinds/examples.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';

/**
 * Every kind's examples (src/kinds/examples.ts) on an image [6, 7, 4] and a flat [12]: each example that fits one,
 * fed it on as many inputs as the kind needs. The examples carry the options that change the counts (groups, depth
 * multipliers, no bias).
 */
const SHAPES: number[][] = [[6, 7, 4], [12]];
const CASES = KIND_NAMES.flatMap((kind) => SHAPES.flatMap((shape) =>
  (KIND_EXAMPLES[kind].fits(shape) as Record<string, unknown>[]).map((params) => ({ kind, params, shape }))));

const count = (w: ReturnType<typeof nodeInitialWeights>) => Object.values(w).reduce((s, t) => s + t!.data.length, 0);

describe('initial weights (one generator for every backend)', () => {
  it('covers every registered kind, each example holding exactly the analysed parameters', () => {
    const kinds = new Set(CASES.map((c) => c.kind));
    expect(KIND_NAMES.filter((k) => !kinds.has(k))).toEqual([]);
    for (const { kind, params, shape } of CASES) {
      const b = new DesignBuilder();
      b.input(shape);
      // as many inputs as the kind needs: a merge takes the same one on each port, an input none
      b.add(kind, params, new Array<string>(getLayerKind(kind)!.arity.min).fill('in'), 'x');
      const resolved = resolve(b.design());
      const row = resolved.analysis.nodes.find((n) => n.id === 'x')!;
      expect(row.error, `${kind} ${JSON.stringify(params)} on ${shape.join('×')}`).toBeUndefined();
      for (const everyTensor of [false, true]) {
        const w = nodeInitialWeights(resolved.byId.get('x')!, 1, { everyTensor });
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
    // layer scale starts every factor at initValue (ConvNeXt's 1e-6), not at random
    b.add('scale', { initValue: 1e-6 }, 'bn', 'ls');
    // layer norm starts as Keras's LayerNormalization: gamma 1, beta 0, one each per channel
    b.add('layerNorm', {}, 'bn', 'ln');
    const at = resolve(b.design()).byId;
    const w = nodeInitialWeights(at.get('c')!, 9);
    expect(w.kernel!.shape).toEqual([3, 3, 2, 6]);
    const limit = Math.sqrt(6 / (3 * 3 * 2 + 3 * 3 * 3));
    const k = Array.from(w.kernel!.data);
    expect(Math.max(...k.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...k.map(Math.abs))).toBeGreaterThan(0.8 * limit); // spread over the range, not squeezed
    expect(Array.from(w.bias!.data)).toEqual(new Array(6).fill(0));
    const bn = nodeInitialWeights(at.get('bn')!, 9);
    expect([bn.gamma, bn.beta, bn.movingMean, bn.movingVariance].map((t) => Array.from(t!.data))).toEqual([1, 0, 0, 1].map((v) => new Array(6).fill(v)));
    const ls = nodeInitialWeights(at.get('ls')!, 9);
    expect(ls.gamma!.shape).toEqual([6]);
    expect(Array.from(ls.gamma!.data)).toEqual(new Array(6).fill(Math.fround(1e-6)));
    const ln = nodeInitialWeights(at.get('ln')!, 9);
    expect([ln.gamma!.shape, ln.beta!.shape]).toEqual([[6], [6]]);
    expect([ln.gamma, ln.beta].map((t) => Array.from(t!.data))).toEqual([1, 0].map((v) => new Array(6).fill(v)));
  });

  it('is a function of the seed and the node id only: same seed same bits, another seed or node other values', () => {
    const b = new DesignBuilder();
    b.input([5, 5, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3 }, 'in', 'a');
    const node = resolve(b.design()).byId.get('a')!;
    const bits = (seed: number, id = 'a') => Buffer.from(nodeInitialWeights({ ...node, id }, seed).kernel!.data.buffer);
    expect(bits(DEFAULT_SEED).equals(bits(DEFAULT_SEED))).toBe(true);
    expect(bits(1).equals(bits(2))).toBe(false);
    expect(bits(1).equals(bits(1, 'b'))).toBe(false);
    expect(bits(-1).equals(bits(2 ** 32 - 1))).toBe(false);
  });
});
