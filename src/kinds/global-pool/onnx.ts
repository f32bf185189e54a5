/** Global pooling in ONNX: `GlobalAveragePool` / `GlobalMaxPool`, then `Flatten` to [N, C]. */

import { int, type OnnxRule } from '../../export/onnx-graph.ts';

export const globalAvgPoolOnnx: OnnxRule<'globalAvgPool'> = {
  emit: ({ g, x, out }) => { g.op('Flatten', [g.op('GlobalAveragePool', [x], g.tmp(out))], out, [int('axis', 1)], out); },
};
export const globalMaxPoolOnnx: OnnxRule<'globalMaxPool'> = {
  emit: ({ g, x, out }) => { g.op('Flatten', [g.op('GlobalMaxPool', [x], g.tmp(out))], out, [int('axis', 1)], out); },
};
