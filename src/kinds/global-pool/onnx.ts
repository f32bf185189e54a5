/**
 * Global pooling in ONNX: `GlobalAveragePool` / `GlobalMaxPool`, which keep the dims (`[N, C, 1, 1]`, keepDims's
 * shape as it is); the flat `[N, C]` takes a `Flatten` after it.
 */

import { int, type OnnxGraph } from '../../backends/onnx-graph.ts';
import type { OnnxRuleOf } from '../rules.ts';

function globalPool(op: string, { g, x, out, p }: { g: OnnxGraph; x: string; out: string; p: { keepDims: boolean } }): void {
  if (p.keepDims) g.op(op, [x], out, [], out);
  else g.op('Flatten', [g.op(op, [x], g.tmp(out))], out, [int('axis', 1)], out);
}

export const globalAvgPoolOnnx: OnnxRuleOf<'globalAvgPool'> = { emit: (ctx) => globalPool('GlobalAveragePool', ctx) };
export const globalMaxPoolOnnx: OnnxRuleOf<'globalMaxPool'> = { emit: (ctx) => globalPool('GlobalMaxPool', ctx) };
