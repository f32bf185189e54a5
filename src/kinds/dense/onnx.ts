/** Dense in ONNX: `Gemm` with the weight [units, N] transposed (PyTorch's layout), then the activation. */

import { int } from '../../backends/onnx-graph.ts';
import type { OnnxRuleOf } from '../rules.ts';

export const denseOnnx: OnnxRuleOf<'dense'> = {
  emit({ g, p, x, inShape, out }) {
    const ins = [x, g.weight(`${out}.weight`, [p.units, inShape[0]])];
    if (p.useBias) ins.push(g.weight(`${out}.bias`, [p.units]));
    const linear = p.activation === 'linear';
    const y = g.op('Gemm', ins, linear ? out : g.tmp(out), [int('transB', 1)], out);
    if (!linear) g.activation(p.activation, y, out);
  },
};
