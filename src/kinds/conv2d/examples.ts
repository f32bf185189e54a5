import type { KindExamples } from '../example.ts';
import { divisorsUpTo, drawActivation, drawConvWindow, isImage, kernelWithin, someOf } from '../example.ts';

/**
 * A plain convolution, and a grouped one without bias (groups: the least divisor above 1 of the channels, where
 * there is one). Random: filters 1–6, kernels 1–6, strides 1–4, dilation 1–3, groups among the channels' divisors
 * up to 4 with filters a multiple of them.
 */
export const conv2dExamples: KindExamples<'conv2d'> = {
  fits(x) {
    if (!isImage(x)) return [];
    const groups = divisorsUpTo(x[2], x[2]).find((d) => d > 1);
    return [
      { filters: 6, kernelSize: kernelWithin(x, [3, 2]) },
      ...(groups ? [{ filters: 3 * groups, kernelSize: kernelWithin(x, [3, 3]), groups, useBias: false }] : []),
    ];
  },
  random(x, draw) {
    const groups = draw.pick(divisorsUpTo(isImage(x) ? x[2] : 1, 4));
    return someOf(draw, {
      filters: groups * draw.int(1, Math.floor(6 / groups)),
      ...drawConvWindow(draw),
      groups,
      useBias: draw.bool(),
      activation: drawActivation(draw),
    }, ['filters', 'kernelSize']);
  },
};
