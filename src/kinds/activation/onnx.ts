/** Activation in ONNX: the function's op (`OnnxGraph.activation`). */

import type { OnnxRule } from '../../export/onnx-graph.ts';

export const activationOnnx: OnnxRule<'activation'> = { emit: ({ g, p, x, out }) => { g.activation(p.fn, x, out); } };
