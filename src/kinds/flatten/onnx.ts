/** Flatten in ONNX: channels-last order, as Convas and tfjs flatten (a `Transpose` to NHWC first). */

import { int, ints } from '../../backends/onnx-graph.ts';
import type { OnnxRuleOf } from '../rules.ts';

export const flattenOnnx: OnnxRuleOf<'flatten'> = {
  emit: ({ g, x, inShape, out }) => {
    g.op('Flatten', [inShape.length === 3 ? g.op('Transpose', [x], g.tmp(out), [ints('perm', [0, 2, 3, 1])]) : x], out, [int('axis', 1)], out);
  },
};
