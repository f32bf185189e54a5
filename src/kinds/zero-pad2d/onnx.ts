/** Zero padding in ONNX: `Pad` on the spatial axes of NCHW. */

import type { OnnxRuleOf } from '../rules.ts';

export const zeroPad2dOnnx: OnnxRuleOf<'zeroPad2d'> = {
  emit({ g, p: { padding: [ph, pw] }, x, out }) {
    g.op('Pad', [x, g.constI64(g.tmp(out), [0, 0, ph, pw, 0, 0, ph, pw])], out, [], out);
  },
};
