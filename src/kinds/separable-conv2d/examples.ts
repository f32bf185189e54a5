import type { KindExamples } from '../example.ts';
import { drawActivation, drawInt2, drawPadding, isImage, kernelWithin, someOf } from '../example.ts';

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
    kernelSize: drawInt2(draw, 1, 6),
    strides: drawInt2(draw, 1, 4),
    padding: drawPadding(draw, 2),
    dilation: drawInt2(draw, 1, 3),
    depthMultiplier: draw.int(1, 3),
    useBias: draw.bool(),
    activation: drawActivation(draw),
  }, ['filters', 'kernelSize']),
};
