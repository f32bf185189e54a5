/** Global pooling in ONNX: `GlobalAveragePool` / `GlobalMaxPool`, then `Flatten` to [N, C]. */

import { int } from '../../backends/onnx-graph.ts';
import type { OnnxRuleOf } from '../rules.ts';

export const globalAvgPoolOnnx: OnnxRuleOf<'globalAvgPool'> = {
  emit: ({ g, x, out }) => { g.op('Flatten', [g.op('GlobalAveragePool', [x], g.tmp(out))], out, [int('axis', 1)], out); },
};
export const globalMaxPoolOnnx: OnnxRuleOf<'globalMaxPool'> = {
  emit: ({ g, x, out }) => { g.op('Flatten', [g.op('GlobalMaxPool', [x], g.tmp(out))], out, [int('axis', 1)], out); },
};
