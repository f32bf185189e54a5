import type { KindExamples } from '../example.ts';
import { drawActivation, drawConvWindow, isImage, kernelWithin, someOf } from '../example.ts';

/**
 * A separable convolution with a depth multiplier, and one without bias. Random: filters 1–6, kernels 1–6,
 * strides 1–4, dilation 1–3, multipliers 1–3.
 */
export const separableConv2dExamples: KindExamples<'separableConv2d'> = {
  fits: (x) => (isImage(x)
    ? [{ filters: 5, kernelSize: kernelWithin(x, [3, 2]), depthMultiplier: 2 }, { filters: 5, kernelSize: kernelWithin(x, [3, 3]), useBias: false }]
    : []),
  random: (_x, draw) => someOf(draw, {
    filters: draw.int(1, 6),
    ...drawConvWindow(draw),
    depthMultiplier: draw.int(1, 3),
    useBias: draw.bool(),
    activation: drawActivation(draw),
  }, ['filters', 'kernelSize']),
};
