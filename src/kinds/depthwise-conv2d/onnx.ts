/** Depthwise Conv 2D in ONNX: a `Conv` with one group per input channel. */

import type { OnnxRule } from '../../export/onnx-graph.ts';
import { convNode } from '../conv2d/onnx.ts';

export const depthwiseConv2dOnnx: OnnxRule<'depthwiseConv2d'> = {
  emit: (ctx) => convNode(ctx, ctx.p, ctx.inShape[2] * ctx.p.depthMultiplier, ctx.inShape[2]),
};
