/**
 * tfjs rule of `conv2d`. `groups`: groups == Cin → `DepthwiseConv2D` (depth multiplier filters/Cin; same channel
 * order and parameter count as a grouped conv); other groups → per-group channel slices, one `conv2d` each,
 * concatenated in group order. A dilated strided convolution runs at stride 1 and is subsampled (`convWindow`).
 */

import * as tf from '@tensorflow/tfjs';
import type { NodeWeights, WeightTensor } from '../../contract/layer-kind.ts';
import { ChannelSlice, DepthwiseConv2D } from '../../backends/tfjs-layers.ts';
import { act, apply, convMemory, convWindow, joinLastAxis, kernelAndBias, lastAxisSlice, subsample } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const conv2dTfjs: TfjsRuleOf<'conv2d'> = {
  compile(ctx) {
    const p = ctx.params;
    const { kernel, strides, dilation, x, padding, stride } = convWindow(ctx);
    const cin = ctx.inputShapes[0][2];
    const groups = p.groups;
    const common = { kernelSize: kernel, strides, padding, dilationRate: dilation, useBias: p.useBias };
    const withBias = (w: NodeWeights, kernelW: WeightTensor) => (w.bias ? [kernelW, w.bias] : [kernelW]);
    if (groups === 1) {
      const layer = tf.layers.conv2d({
        ...common, filters: p.filters, activation: act(p.activation), name: ctx.name,
        kernelInitializer: 'zeros', biasInitializer: 'zeros',
      });
      ctx.assign(layer, (w) => withBias(w, w.kernel));
      return subsample(ctx, apply(layer, x), stride);
    }
    if (groups === cin) {
      // A grouped conv with one input channel per group is a depthwise conv (same channel order and count):
      // the kernel [kh, kw, 1, filters] is the depthwise [kh, kw, Cin, filters/Cin] read in the same order.
      const layer = new DepthwiseConv2D({
        ...common, depthMultiplier: p.filters / cin, activation: act(p.activation), name: ctx.name,
        depthwiseInitializer: 'zeros', biasInitializer: 'zeros',
      });
      ctx.assign(layer, (w) => withBias(w, { shape: [kernel[0], kernel[1], cin, p.filters / cin], data: w.kernel.data }));
      return subsample(ctx, apply(layer, x), stride);
    }
    const inPer = cin / groups;
    const outPer = p.filters / groups;
    const parts: tf.SymbolicTensor[] = [];
    for (let g = 0; g < groups; g++) {
      const slice = apply(new ChannelSlice({ begin: g * inPer, size: inPer, name: ctx.helper(`slice${g}`) }), x);
      const layer = tf.layers.conv2d({
        ...common, filters: outPer, name: ctx.helper(`g${g}`), kernelInitializer: 'zeros', biasInitializer: 'zeros',
      });
      ctx.assign(layer, (w) => {
        const k = lastAxisSlice(w.kernel, g * outPer, outPer);
        return w.bias ? [k, lastAxisSlice(w.bias, g * outPer, outPer)] : [k];
      });
      parts.push(apply(layer, slice));
    }
    // The activation comes after the concatenation (softmax must see every channel).
    const joined = apply(tf.layers.concatenate({ axis: -1, name: p.activation === 'linear' ? ctx.name : ctx.helper('concat') }), parts);
    return subsample(ctx, p.activation === 'linear' ? joined : apply(tf.layers.activation({ activation: act(p.activation), name: ctx.name }), joined), stride);
  },
  // A grouped conv's per-group kernels are joined along the filters; a depthwise-compiled one's kernel
  // [kh, kw, Cin, filters/Cin] is read as [kh, kw, 1, filters].
  readWeights(ctx) {
    const cin = ctx.analysis.inputShapes![0]![2];
    const groups = ctx.params.groups;
    if (groups === 1) return kernelAndBias(ctx.own());
    if (groups === cin) {
      const [k, bias] = ctx.own();
      return kernelAndBias([{ shape: [k.shape[0], k.shape[1], 1, k.shape[2] * k.shape[3]], data: k.data }, ...(bias ? [bias] : [])]);
    }
    const per = Array.from({ length: groups }, (_, g) => ctx.helper(`g${g}`));
    const kernel = joinLastAxis(per.map((w) => w[0]));
    return per[0][1] ? { kernel, bias: joinLastAxis(per.map((w) => w[1])) } : { kernel };
  },
  memory: (ctx) => convMemory(ctx.params, ctx.params.groups, ctx.inputShapes, ctx.outputShape),
};
