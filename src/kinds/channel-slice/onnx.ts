/** Channel slice in ONNX (opset 13): `Slice` of axis 1 (the channels of NCHW, the values of [N, C]), start … start + size. */

import type { OnnxRuleOf } from '../rules.ts';

export const channelSliceOnnx: OnnxRuleOf<'channelSlice'> = {
  emit({ g, x, p, out }) {
    const bound = (values: number[]) => g.constI64(g.tmp(out), values);
    g.op('Slice', [x, bound([p.start]), bound([p.start + p.size]), bound([1])], out, [], out);
  },
};
