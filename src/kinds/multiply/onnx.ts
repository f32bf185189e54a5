/**
 * Multiply in ONNX: a chain of `Mul` (opset 13's `Mul` takes two inputs and broadcasts NumPy's way, so an
 * `[N, C, 1, 1]` gate needs nothing more), a flat `[N, C]` gate of an image unsqueezed to `[N, C, 1, 1]` first
 * (opset 13's `Unsqueeze` reads its axes as an input): NumPy's broadcasting aligns trailing axes and would pair C
 * with W.
 */

import type { OnnxRuleOf } from '../rules.ts';

export const multiplyOnnx: OnnxRuleOf<'multiply'> = {
  emit({ g, xs, inShapes, out }) {
    const image = inShapes.some((s) => s.length === 3);
    const factors = xs.map((x, k) => (image && inShapes[k].length === 1
      ? g.op('Unsqueeze', [x, g.constI64(g.tmp(out), [2, 3])], g.tmp(out))
      : x));
    let product = factors[0];
    for (let k = 1; k < factors.length; k++) {
      const last = k === factors.length - 1;
      product = last ? g.op('Mul', [product, factors[k]], out, [], out) : g.op('Mul', [product, factors[k]], g.tmp(out));
    }
  },
};
