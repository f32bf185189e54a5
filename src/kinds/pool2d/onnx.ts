/**
 * Max and average pooling in ONNX: `MaxPool` (it never picks a padded cell: the −∞ padding of PyTorch and
 * TensorFlow) and `AveragePool`, whose count of cells follows TensorFlow's 'same' and PyTorch's ceil mode.
 */

import { int, ints } from '../../backends/onnx-graph.ts';
import type { OnnxRuleOf } from '../rules.ts';

export const maxPool2dOnnx: OnnxRuleOf<'maxPool2d'> = {
  emit({ g, p, x, inShape: [h, w], out }) {
    const pd = g.pads(h, w, p.poolSize, p.strides, [1, 1], p.padding, p.ceilMode);
    g.op('MaxPool', [x], out, [ints('kernel_shape', p.poolSize), ints('strides', p.strides), ints('pads', pd)], out);
  },
};

export const avgPool2dOnnx: OnnxRuleOf<'avgPool2d'> = {
  emit({ g, p, x, inShape: [h, w], out }) {
    const pd = g.pads(h, w, p.poolSize, p.strides, [1, 1], p.padding, p.ceilMode);
    const poolAttrs = (padsNow: number[], countPad: 0 | 1) => [
      ints('kernel_shape', p.poolSize), ints('strides', p.strides), ints('pads', padsNow), int('count_include_pad', countPad),
    ];
    const ceilExtra = pd[2] > pd[0] || pd[3] > pd[1];
    if (p.padding === 'same' || !ceilExtra) {
      // TensorFlow's 'same' leaves the padding out of the average; explicit padding counts it (PyTorch's rule).
      g.op('AveragePool', [x], out, poolAttrs(pd, p.padding === 'same' ? 0 : 1), out);
      return;
    }
    // Ceil mode: PyTorch counts the explicit zero padding but not the cells past it that the last window
    // reaches. So the explicit padding becomes real zeros (a Pad), and only the ceil-mode extra is ONNX
    // padding, left out of the count.
    const [pt, pl] = [pd[0], pd[1]];
    const padded = pt > 0 || pl > 0 ? g.op('Pad', [x, g.constI64(g.tmp(out), [0, 0, pt, pl, 0, 0, pt, pl])], g.tmp(out)) : x;
    g.op('AveragePool', [padded], out, poolAttrs([0, 0, pd[2] - pt, pd[3] - pl], 0), out);
  },
};
