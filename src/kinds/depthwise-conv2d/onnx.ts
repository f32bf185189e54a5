/** Depthwise Conv 2D in ONNX: a `Conv` with one group per input channel. */

import { convNode } from '../conv2d/onnx.ts';
import type { OnnxRuleOf } from '../rules.ts';

export const depthwiseConv2dOnnx: OnnxRuleOf<'depthwiseConv2d'> = {
  emit: (ctx) => convNode(ctx, ctx.p, ctx.inShape[2] * ctx.p.depthMultiplier, ctx.inShape[2]),
};
