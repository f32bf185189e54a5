/**
 * Separable Conv 2D in ONNX: a depthwise `Conv` (group = Cin, the contract's exact pads, no bias) into a 1×1 `Conv` to
 * the filters (with the bias), then the activation; weights under the PyTorch export's keys
 * (`<out>.depthwise.weight`, `<out>.pointwise.weight`, `<out>.pointwise.bias`).
 */

import { int, ints } from '../../backends/onnx-graph.ts';
import type { OnnxRuleOf } from '../rules.ts';

export const separableConv2dOnnx: OnnxRuleOf<'separableConv2d'> = {
  emit({ g, p, x, inShape, out }) {
    const [h, w, cin] = inShape;
    const mid = cin * p.depthMultiplier;
    const [kh, kw] = p.kernelSize;
    const depthwise = g.op('Conv', [x, g.weight(`${out}.depthwise.weight`, [mid, 1, kh, kw])], g.tmp(out), [
      ints('kernel_shape', [kh, kw]), ints('strides', p.strides), ints('dilations', p.dilation), int('group', cin),
      ints('pads', g.pads(h, w, p.kernelSize, p.strides, p.dilation, p.padding)),
    ], `${out}__depthwise`);
    const ins = [depthwise, g.weight(`${out}.pointwise.weight`, [p.filters, mid, 1, 1])];
    if (p.useBias) ins.push(g.weight(`${out}.pointwise.bias`, [p.filters]));
    const linear = p.activation === 'linear';
    const y = g.op('Conv', ins, linear ? out : g.tmp(out), [ints('kernel_shape', [1, 1]), int('group', 1)], `${out}__pointwise`);
    if (!linear) g.activation(p.activation, y, out);
  },
};
