/**
 * tfjs rule of `separableConv2d`: tfjs's `SeparableConv2D` (Keras's class, so the tfjs export reads back as one
 * layer), mended below to save its depth multiplier, with the padding and stride handling every convolution gets
 * (`convWindow`): uneven or clamped `same` padding written out, and dilation with stride run at stride 1 and
 * subsampled after the pointwise 1×1 (which works per pixel, so keeping every s-th output after it or before it
 * gives the same numbers).
 */

import * as tf from '@tensorflow/tfjs';
import { act, apply, convMemory, convWindow, splitsStride, subsample } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

// tfjs's own SeparableConv2D class (not exported by name): the one a `tf.layers.separableConv2d` call makes.
const TfSeparableConv2D = Object.getPrototypeOf(tf.layers.separableConv2d({ filters: 1, kernelSize: 1 })).constructor as
  new (args: Parameters<typeof tf.layers.separableConv2d>[0]) => tf.layers.Layer;

/**
 * tfjs's `SeparableConv2D` with the depth multiplier in its config: tfjs 4.22's `getConfig` leaves `depthMultiplier`
 * out, so a saved model with a depth multiplier above 1 reloads (in tfjs, Keras or Convas's import) with 1, and its
 * weights no longer fit. Its class name stays `SeparableConv2D` (registered here in its place), so a saved model
 * is an ordinary Keras separable convolution with `depth_multiplier`.
 */
class SeparableConv2D extends TfSeparableConv2D {
  static className = 'SeparableConv2D';
  declare depthMultiplier: number;

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), depthMultiplier: this.depthMultiplier };
  }
}
tf.serialization.registerClass(SeparableConv2D as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

export const separableConv2dTfjs: TfjsRuleOf<'separableConv2d'> = {
  compile(ctx) {
    const p = ctx.params;
    const { kernel, strides, dilation, x, padding, stride } = convWindow(ctx);
    const layer = new SeparableConv2D({
      filters: p.filters, kernelSize: kernel, strides, padding, dilationRate: dilation, depthMultiplier: p.depthMultiplier,
      useBias: p.useBias, activation: act(p.activation), name: ctx.name,
      depthwiseInitializer: 'zeros', pointwiseInitializer: 'zeros', biasInitializer: 'zeros',
    });
    ctx.assign(layer, (w) => [w.depthwiseKernel, w.pointwiseKernel, ...(w.bias ? [w.bias] : [])]);
    return subsample(ctx, apply(layer, x), stride);
  },
  readWeights(ctx) {
    const [depthwiseKernel, pointwiseKernel, bias] = ctx.own();
    return bias ? { depthwiseKernel, pointwiseKernel, bias } : { depthwiseKernel, pointwiseKernel };
  },
  memory({ params: p, inputShapes, outputShape }) {
    const [ho, wo] = outputShape;
    const mid = inputShapes[0][2] * p.depthMultiplier;
    // The depthwise part (one group per input channel), then the pointwise 1×1 on its Cin·dm channels at the same
    // pixels; a dilated strided conv runs both at stride 1, and convMemory counts each stride-1 output then.
    const depthwise = convMemory(p, inputShapes[0][2], inputShapes, [ho, wo, mid]);
    const pointwise = convMemory({ ...p, kernelSize: [1, 1] }, 1, [[ho, wo, mid]], outputShape);
    // the depthwise output between the two parts, when it is not the stride-1 one counted above
    const between = splitsStride(p.strides, p.dilation) ? 0 : ho * wo * mid;
    return {
      elements: depthwise.elements + pointwise.elements + between,
      indirectionBytes: Math.max(depthwise.indirectionBytes, pointwise.indirectionBytes),
    };
  },
};
