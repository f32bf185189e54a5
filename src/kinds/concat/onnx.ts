/** Concatenate in ONNX: `Concat` along the channels (axis 1 in NCHW). */

import { int } from '../../backends/onnx-graph.ts';
import type { OnnxRuleOf } from '../rules.ts';

export const concatOnnx: OnnxRuleOf<'concat'> = { emit: ({ g, xs, out }) => { g.op('Concat', xs, out, [int('axis', 1)], out); } };
