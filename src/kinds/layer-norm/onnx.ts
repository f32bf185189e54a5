/**
 * Layer norm in ONNX opset 13, which has no `LayerNormalization` (it came in opset 17): written out exactly over
 * the channels, axis 1 of NCHW (and of a flat [N, C]):
 * `d = x − ReduceMean(x)`, `v = ReduceMean(d · d)` (the biased variance), `y = d / Sqrt(v + epsilon) · gamma + beta`,
 * with the state-dict tensors `<out>.weight` (gamma) and `<out>.bias` (beta), [C], reshaped to [C, 1, 1] for an
 * image so they broadcast over H and W.
 */

import { int, ints } from '../../backends/onnx-graph.ts';
import type { OnnxRuleOf } from '../rules.ts';

export const layerNormOnnx: OnnxRuleOf<'layerNorm'> = {
  emit({ g, p, x, inShape, out }) {
    const c = inShape[inShape.length - 1];
    const overChannels = [ints('axes', [1]), int('keepdims', 1)];
    const mean = g.op('ReduceMean', [x], g.tmp(out), overChannels);
    const d = g.op('Sub', [x, mean], g.tmp(out));
    const variance = g.op('ReduceMean', [g.op('Mul', [d, d], g.tmp(out))], g.tmp(out), overChannels);
    const std = g.op('Sqrt', [g.op('Add', [variance, g.constF(g.tmp(out), [], new Float32Array([p.epsilon]))], g.tmp(out))], g.tmp(out));
    const normalized = g.op('Div', [d, std], g.tmp(out));
    const perChannel = (key: string) => {
      const t = g.weight(`${out}.${key}`, [c]);
      return inShape.length === 3 ? g.op('Reshape', [t, g.constI64(g.tmp(out), [c, 1, 1])], g.tmp(out)) : t;
    };
    g.op('Add', [g.op('Mul', [normalized, perChannel('weight')], g.tmp(out)), perChannel('bias')], out, [], out);
  },
};
