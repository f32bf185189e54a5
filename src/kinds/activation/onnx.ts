/** Activation in ONNX: the function's op (`OnnxGraph.activation`), or `LeakyRelu` with the node's alpha. */

import { float } from '../../backends/onnx-graph.ts';
import type { OnnxRuleOf } from '../rules.ts';

export const activationOnnx: OnnxRuleOf<'activation'> = {
  emit: ({ g, p, x, out }) => {
    // the resolved params hold alpha wherever fn is leakyRelu (validateParams fills 0.01 in)
    if (p.fn === 'leakyRelu') g.op('LeakyRelu', [x], out, [float('alpha', p.alpha!)]);
    else g.activation(p.fn, x, out);
  },
};
