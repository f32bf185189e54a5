/**
 * Conv 2D transpose in ONNX: `ConvTranspose` with the crop as begin pads, the rows past the output as end pads, and
 * the zero-extension as `output_padding` (geometry.ts `onnxAxis`: ONNX's pads may differ at the two ends, so
 * TensorFlow's uneven `same` crop is one node), then the activation. Weights `<out>.weight` [Cin, filters, kh, kw]
 * (PyTorch's layout, ONNX's too) and `<out>.bias`.
 */

import { ints } from '../../backends/onnx-graph.ts';
import type { OnnxRuleOf } from '../rules.ts';
import { axisPadding, onnxAxis, transposedAxis } from './geometry.ts';

export const conv2dTransposeOnnx: OnnxRuleOf<'conv2dTranspose'> = {
  emit({ g, x, inShape, out, p }) {
    const [kh, kw] = p.kernelSize;
    const [h, w] = [0, 1].map((a) => onnxAxis(transposedAxis({
      size: inShape[a], kernel: p.kernelSize[a], stride: p.strides[a], padding: axisPadding(p.padding, a as 0 | 1), outputPadding: p.outputPadding[a],
    })));
    const ins = [x, g.weight(`${out}.weight`, [inShape[2], p.filters, kh, kw])];
    if (p.useBias) ins.push(g.weight(`${out}.bias`, [p.filters]));
    const attrs = [
      ints('kernel_shape', [kh, kw]), ints('strides', p.strides),
      ints('pads', [h.pads[0], w.pads[0], h.pads[1], w.pads[1]]), ints('output_padding', [h.outputPadding, w.outputPadding]),
    ];
    const linear = p.activation === 'linear';
    const y = g.op('ConvTranspose', ins, linear ? out : g.tmp(out), attrs, out);
    if (!linear) g.activation(p.activation, y, out);
  },
};
