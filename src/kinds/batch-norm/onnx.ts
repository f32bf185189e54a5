/** Batch norm in ONNX: `BatchNormalization` over the channels, momentum as Keras's (ONNX's convention). */

import { float, type OnnxRule } from '../../export/onnx-graph.ts';

export const batchNormOnnx: OnnxRule<'batchNorm'> = {
  emit({ g, p, x, inShape, out }) {
    const c = inShape[inShape.length - 1];
    g.op('BatchNormalization', [
      x, g.weight(`${out}.weight`, [c]), g.weight(`${out}.bias`, [c]),
      g.weight(`${out}.running_mean`, [c]), g.weight(`${out}.running_var`, [c]),
    ], out, [float('epsilon', p.epsilon), float('momentum', p.momentum)], out);
  },
};
