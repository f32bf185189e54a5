/**
 * Layer scale in ONNX: `Mul` by the factors, the state-dict tensor `<out>.gamma` [C] reshaped to [C, 1, 1] for an
 * NCHW image (so it broadcasts over H and W) and used as it is on a flat [N, C] vector.
 */

import type { OnnxRuleOf } from '../rules.ts';

export const scaleOnnx: OnnxRuleOf<'scale'> = {
  emit({ g, x, inShape, out }) {
    const c = inShape[inShape.length - 1];
    let gamma = g.weight(`${out}.gamma`, [c]);
    if (inShape.length === 3) gamma = g.op('Reshape', [gamma, g.constI64(g.tmp(out), [c, 1, 1])], g.tmp(out));
    g.op('Mul', [x, gamma], out, [], out);
  },
};
