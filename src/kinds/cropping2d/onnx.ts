/** Cropping in ONNX (opset 13): `Slice` of the spatial axes of NCHW, as PyTorch exports `x[:, :, c:H−c, d:W−d]`. */

import type { OnnxRuleOf } from '../rules.ts';

export const cropping2dOnnx: OnnxRuleOf<'cropping2d'> = {
  emit({ g, p: { cropping: [ch, cw] }, x, inShape, out }) {
    const starts = g.constI64(g.tmp(out), [ch, cw]);
    const ends = g.constI64(g.tmp(out), [inShape[0] - ch, inShape[1] - cw]);
    g.op('Slice', [x, starts, ends, g.constI64(g.tmp(out), [2, 3])], out, [], out);
  },
};
