/** Concatenate in ONNX: `Concat` along the channels (axis 1 in NCHW). */

import { int, type OnnxRule } from '../../export/onnx-graph.ts';

export const concatOnnx: OnnxRule<'concat'> = { emit: ({ g, xs, out }) => { g.op('Concat', xs, out, [int('axis', 1)], out); } };
