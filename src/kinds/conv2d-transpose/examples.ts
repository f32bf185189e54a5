import type { Pair } from '../../contract/types.ts';
import type { ExampleParams, KindExamples } from '../example.ts';
import { drawActivation, drawInt2, drawPadding, isImage, someOf } from '../example.ts';

const widen = (v: number | Pair): Pair => (typeof v === 'number' ? [v, v] : v);

/**
 * A 3×3 up-convolution by 2, one with an explicit crop, an output padding and no bias, and a `same` one whose kernel
 * is smaller than its stride (units that see no input). Random: filters 1–6, kernels 1–5 and strides 1–4 (so k < s,
 * k = s and k > s, k − s odd and even, all meet), padding valid, same or a crop of 0–2, outputPadding below the
 * stride (0 with `same`, which takes none).
 */
export const conv2dTransposeExamples: KindExamples<'conv2dTranspose'> = {
  fits(x) {
    if (!isImage(x)) return [];
    return [
      { filters: 4, kernelSize: 3, strides: 2 },
      { filters: 3, kernelSize: [3, 4], strides: 2, padding: 1, outputPadding: [1, 0], useBias: false },
      { filters: 2, kernelSize: 1, strides: 3, padding: 'same', activation: 'relu' },
    ];
  },
  random(_x, draw) {
    const kernelSize = drawInt2(draw, 1, 5);
    const strides = drawInt2(draw, 1, 4);
    const padding = drawPadding(draw, 2);
    const s = widen(strides);
    const outputPadding: Pair = padding === 'same' ? [0, 0] : [draw.int(0, s[0] - 1), draw.int(0, s[1] - 1)];
    const params: ExampleParams<'conv2dTranspose'> = {
      filters: draw.int(1, 6), kernelSize, strides, padding, outputPadding, useBias: draw.bool(), activation: drawActivation(draw),
    };
    return someOf(draw, params, ['filters', 'kernelSize']);
  },
};
