import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.ts';
import { validateParams } from '../contract/params.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import type { Shape } from '../contract/types.ts';
import { separableConv2d } from '../kinds/separable-conv2d/kind.ts';

function separable(params: Record<string, unknown>, input: Shape) {
  const b = new DesignBuilder();
  b.input(input);
  const id = b.add('separableConv2d', params);
  const a = analyze(b.design());
  return { ...a.nodes.find((n) => n.id === id)!, errors: a.errors.map((e) => e.message) };
}

describe('separableConv2d', () => {
  // Keras `applications.Xception().summary()` (Chollet 2017): published per-layer parameter counts.
  it.each([
    ['block2_sepconv1', [147, 147, 64], 128, 8_768],
    ['block2_sepconv2', [147, 147, 128], 128, 17_536],
    ['block14_sepconv2', [10, 10, 1536], 2048, 3_159_552],
  ] as const)('Xception %s: %j → %i filters has %i params', (_name, input, filters, params) => {
    const r = separable({ filters, kernelSize: 3, padding: 'same', useBias: false }, [...input]);
    expect(r.errors).toEqual([]);
    expect(r.outputShape).toEqual([input[0], input[1], filters]);
    expect(r.params).toBe(params);
  });

  // A separable conv is a depthwise conv without bias and a 1×1 conv: the two-layer design must give the same numbers.
  it.each([
    [{ filters: 16, kernelSize: 3, depthMultiplier: 2, padding: 'same' }, [20, 18, 6]],
    [{ filters: 5, kernelSize: [2, 5], strides: [2, 1], dilation: [1, 2], padding: 1, useBias: false }, [17, 23, 3]],
    [{ filters: 7, kernelSize: 4, strides: 3, depthMultiplier: 3, padding: 'valid' }, [31, 31, 4]],
  ] as const)('%j on %j: the numbers of depthwise + pointwise', (params, input) => {
    const r = separable(params, [...input]);
    const b = new DesignBuilder();
    b.input([...input]);
    const { filters, useBias, ...window } = params as Record<string, unknown>;
    const dw = b.add('depthwiseConv2d', { ...window, useBias: false });
    const pw = b.add('conv2d', { filters, kernelSize: 1, useBias: useBias ?? true });
    const two = analyze(b.design());
    const [d, p] = [dw, pw].map((id) => two.nodes.find((n) => n.id === id)!);
    expect(r.outputShape).toEqual(p.outputShape);
    expect(r.params).toBe(d.params + p.params);
    expect(r.macs).toBe(d.macs + p.macs);
    expect(r.receptiveField).toEqual(p.receptiveField);
  });

  it('sums up its settings in a line, uneven strides and dilation included', () => {
    const line = (params: Record<string, unknown>) => separableConv2d.summary(validateParams(separableConv2d.params, params).params!);
    expect(line({ filters: 128, kernelSize: 3, padding: 'same' })).toBe('sep 3×3 same · 128');
    expect(line({ filters: 8, kernelSize: [3, 2], strides: [2, 1], dilation: [1, 2], depthMultiplier: 2 })).toBe('sep 3×2 /2×1 ×2 · 8 d1×2');
  });

  it('says when the window does not fit, and when the input is flat', () => {
    expect(separable({ filters: 4, kernelSize: 5 }, [3, 3, 8]).errors[0]).toMatch(/kernel 5×5 is larger than its 3×3 input/);
    expect(separable({ filters: 4, kernelSize: 3 }, [100]).errors[0]).toMatch(/needs an image-shaped input/);
  });

  it('explains its arithmetic in both parts, with the totals the analysis gives', () => {
    const params = validateParams(separableConv2d.params, { filters: 6, kernelSize: 3, padding: 'same', depthMultiplier: 2 }).params!;
    const lines = separableConv2d.explain!({ params, inputs: [[8, 8, 4]], output: [8, 8, 6] });
    expect(lines[0]).toBe('params = 3·3·4·2 + 4·2·6 + 6 = 126  (depthwise + pointwise + bias)');
    expect(lines.at(-1)).toBe('MACs = 8·8·4·2·(3·3 + 6) = 7,680');
    const r = separable({ filters: 6, kernelSize: 3, padding: 'same', depthMultiplier: 2 }, [8, 8, 4]);
    expect([r.params, r.macs]).toEqual([126, 7_680]);
  });
});
