/** Batch norm in ONNX: `BatchNormalization` over the channels, momentum as Keras's (ONNX's convention). */

import { float } from '../../backends/onnx-graph.ts';
import type { OnnxRuleOf } from '../rules.ts';

export const batchNormOnnx: OnnxRuleOf<'batchNorm'> = {
  emit({ g, p, x, inShape, out }) {
    const c = inShape[inShape.length - 1];
    g.op('BatchNormalization', [
      x, g.weight(`${out}.weight`, [c]), g.weight(`${out}.bias`, [c]),
      g.weight(`${out}.running_mean`, [c]), g.weight(`${out}.running_var`, [c]),
    ], out, [float('epsilon', p.epsilon), float('momentum', p.momentum)], out);
  },
};
