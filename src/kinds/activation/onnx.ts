/** Activation in ONNX: the function's op (`OnnxGraph.activation`). */

import type { OnnxRuleOf } from '../rules.ts';

export const activationOnnx: OnnxRuleOf<'activation'> = { emit: ({ g, p, x, out }) => { g.activation(p.fn, x, out); } };
