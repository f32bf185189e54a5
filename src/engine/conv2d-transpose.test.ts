/**
 * `conv2dTranspose` in the analysis (docs/design-format.md#transposed-convolution): the output-size rules worked by
 * hand for each padding, the errors in a student's words naming the node, the inspector's arithmetic with the
 * layer's numbers, and advice rule 4 (a bias before a batch norm), which the outside contract extends to it. Values
 * against PyTorch are in src/drivers/import/conv2d-transpose-kind.test.ts; fields in
 * receptive-field.transposed.oracle.test.ts.
 */

import { describe, expect, it } from 'vitest';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import { advise } from './advice.ts';
import { analyze } from './analyze.ts';
import { getLayerKind } from './registry.ts';
import { resolve } from './resolve.ts';

function one(params: Record<string, unknown>, shape = [4, 4, 8]) {
  const b = new DesignBuilder('t');
  b.input(shape);
  b.add('conv2dTranspose', params, 'in', 'up');
  const a = analyze(b.design());
  return { a, node: a.nodes.find((n) => n.id === 'up')! };
}

describe('conv2dTranspose in the analysis', () => {
  it('sizes, params and MACs: explicit (in − 1)·s − 2p + k + op, valid p = 0, same in·s', () => {
    // (4 − 1)·2 − 2·1 + 3 + 1 = 8; params 3·3·8·16 + 16; MACs 4·4·8·3·3·16
    expect(one({ filters: 16, kernelSize: 3, strides: 2, padding: 1, outputPadding: 1 }).node).toMatchObject({ outputShape: [8, 8, 16], params: 1168, macs: 18432 });
    expect(one({ filters: 16, kernelSize: 3, strides: 2 }).node).toMatchObject({ outputShape: [9, 9, 16], params: 1168, macs: 18432 });
    expect(one({ filters: 16, kernelSize: [1, 5], strides: 3, padding: 'same', useBias: false }).node).toMatchObject({ outputShape: [12, 12, 16], params: 640, macs: 10240 });
  });

  it('refuses an output padding not below the stride, one with same, and a crop that leaves nothing, naming the node', () => {
    const msg = (p: Record<string, unknown>) => one(p).a.errors.map((e) => [e.nodeId, e.message]);
    expect(msg({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 2 })).toEqual([['up', 'outputPadding 2×2 must be smaller than the stride 2×2: it adds rows at the end that no input pixel could paint otherwise']]);
    expect(msg({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1 })).toEqual([['up', 'outputPadding 1×1 does nothing with padding "same", whose output is always input × stride: set it to 0, or give the padding in pixels']]);
    // full output (4 − 1)·1 + 3 = 6 rows; a crop of 3 from each side leaves none
    expect(msg({ filters: 2, kernelSize: 3, padding: 3 })).toEqual([['up', 'padding 3×3 crops 6 of the 6 rows its 4×4 input paints (kernel 3×3, stride 1×1), leaving none']]);
  });

  it("the inspector's arithmetic fills the transposed output-size formula in with the layer's numbers", () => {
    const kind = getLayerKind('conv2dTranspose')!;
    const explain = (params: Record<string, unknown>) => {
      const b = new DesignBuilder('t');
      b.input([4, 4, 8]);
      b.add('conv2dTranspose', params, 'in', 'up');
      const node = resolve(b.design()).byId.get('up')!;
      return kind.explain!({ params: node.params as Record<string, unknown>, inputs: [[4, 4, 8]], output: one(params).node.outputShape! });
    };
    expect(explain({ filters: 16, kernelSize: 3, strides: 2, padding: 1, outputPadding: 1 })).toEqual([
      'params = 3·3·8·16 + 16 = 1,168',
      'out = (in − 1)·s − 2·p + k + outputPadding = (4 − 1)·2 − 2·1 + 3 + 1 = 8',
      'MACs = Hin·Win·Cin·kh·kw·filters = 4·4·8·3·3·16 = 18,432  (every input pixel meets every tap once)',
    ]);
    expect(explain({ filters: 16, kernelSize: 4, strides: [2, 3], padding: 'same' })[1]).toBe(
      "out H = in·s = 4·2 = 8  ('same': of the (4 − 1)·2 + 4 = 10 full rows, the first ⌊max(4 − 2, 0)/2⌋ = 1 dropped, the rest cut by 1)");
    expect(explain({ filters: 16, kernelSize: 4, strides: [2, 3], padding: 'same' })[2]).toBe(
      "out W = in·s = 4·3 = 12  ('same': of the (4 − 1)·3 + 4 = 13 full columns, the first ⌊max(4 − 3, 0)/2⌋ = 0 dropped, the rest cut by 1)");
  });

  it('advice rule 4: a transposed convolution with a bias before a batch norm loses the bias', () => {
    const b = new DesignBuilder('t');
    b.input([4, 4, 8]);
    b.add('conv2dTranspose', { filters: 16, kernelSize: 2, strides: 2 }, 'in', 'up');
    b.add('batchNorm', {}, 'up', 'bn');
    const d = b.design();
    const rule4 = advise(d, analyze(d)).filter((x) => x.rule === 'bias-before-batchnorm');
    expect(rule4.map((x) => [x.nodeId, x.paramsDelta])).toEqual([['up', -16]]);
  });
});
