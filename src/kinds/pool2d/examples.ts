import type { Pair } from '../../contract/types.ts';
import type { KindExamples } from '../example.ts';
import { drawInt2, drawPadding, isImage, kernelWithin, someOf } from '../example.ts';

const pair = (v: number | Pair): Pair => (typeof v === 'number' ? [v, v] : v);

/**
 * A 2×2 pool (strides default to the window). Random: windows 1–5, strides 1–4, padding `valid`, `same` or
 * explicit (at most half the window per axis: more is an error in the analysis, as in PyTorch), ceil mode on or off.
 * Max and average pools share their params, so one value serves both.
 */
const poolExamples: KindExamples<'maxPool2d'> = {
  fits: (x) => (isImage(x) ? [{ poolSize: kernelWithin(x, [2, 2]) }] : []),
  random(_x, draw) {
    const poolSize = drawInt2(draw, 1, 5);
    let padding = drawPadding(draw, 2);
    if (typeof padding !== 'string') {
      const [k, p] = [pair(poolSize), pair(padding)];
      padding = [Math.min(p[0], Math.floor(k[0] / 2)), Math.min(p[1], Math.floor(k[1] / 2))];
    }
    return someOf(draw, { poolSize, strides: drawInt2(draw, 1, 4), padding, ceilMode: draw.bool() }, ['poolSize']);
  },
};

export const maxPool2dExamples: KindExamples<'maxPool2d'> = poolExamples;
export const avgPool2dExamples: KindExamples<'avgPool2d'> = poolExamples;
