/** Local response normalization in ONNX: `LRN`, alpha multiplied by the size (ONNX divides by it). */

import { float, int } from '../../backends/onnx-graph.ts';
import type { OnnxRuleOf } from '../rules.ts';

export const lrnOnnx: OnnxRuleOf<'lrn'> = {
  emit({ g, p, x, out }) {
    const size = 2 * p.depthRadius + 1;
    g.op('LRN', [x], out, [int('size', size), float('alpha', p.alpha * size), float('beta', p.beta), float('bias', p.bias)], out);
  },
};
