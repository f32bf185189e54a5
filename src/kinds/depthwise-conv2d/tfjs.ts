/** tfjs rule of `depthwiseConv2d`: the `DepthwiseConv2D` of backends/tfjs-layers.ts (tfjs's own ignores the dilation). */

import { DepthwiseConv2D } from '../../backends/tfjs-layers.ts';
import { act, apply, convMemory, convWindow, kernelAndBias, subsample } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const depthwiseConv2dTfjs: TfjsRuleOf<'depthwiseConv2d'> = {
  compile(ctx) {
    const p = ctx.params;
    const { kernel, strides, dilation, x, padding, stride } = convWindow(ctx);
    const layer = new DepthwiseConv2D({
      kernelSize: kernel, strides, padding, dilationRate: dilation, depthMultiplier: p.depthMultiplier,
      useBias: p.useBias, activation: act(p.activation), name: ctx.name,
      depthwiseInitializer: 'zeros', biasInitializer: 'zeros',
    });
    ctx.assign(layer, (w) => (w.bias ? [w.kernel, w.bias] : [w.kernel]));
    return subsample(ctx, apply(layer, x), stride);
  },
  readWeights: (ctx) => kernelAndBias(ctx.own()),
  // one group per input channel
  memory: (ctx) => convMemory(ctx.params, ctx.inputShapes[0][2], ctx.inputShapes, ctx.outputShape),
};
