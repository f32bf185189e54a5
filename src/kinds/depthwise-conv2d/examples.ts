import type { KindExamples } from '../example.ts';
import { drawActivation, drawConvWindow, isImage, kernelWithin, someOf } from '../example.ts';

/** A depthwise convolution with a depth multiplier. Random: kernels 1–6, strides 1–4, dilation 1–3, multipliers 1–3. */
export const depthwiseConv2dExamples: KindExamples<'depthwiseConv2d'> = {
  fits: (x) => (isImage(x) ? [{ kernelSize: kernelWithin(x, [3, 3]), depthMultiplier: 3 }] : []),
  random: (_x, draw) => someOf(draw, {
    ...drawConvWindow(draw),
    depthMultiplier: draw.int(1, 3),
    useBias: draw.bool(),
    activation: drawActivation(draw),
  }, ['kernelSize']),
};
