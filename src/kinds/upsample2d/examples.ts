import { isImage, someOf, type KindExamples } from '../example.ts';
import { UPSAMPLE_INTERPOLATIONS } from './kind.ts';

/**
 * Nearest by 2 and bilinear by 2×3 (uneven factors, an odd one whose middle phase has a zero-weight tap). Random:
 * factors 1–4 per axis, one number or a pair, either interpolation, some left to their defaults.
 */
export const upsample2dExamples: KindExamples<'upsample2d'> = {
  fits: (x) => (isImage(x) ? [{ size: 2 }, { size: [2, 3], interpolation: 'bilinear' }] : []),
  random: (_x, draw) => someOf(draw, {
    size: draw.bool() ? draw.int(1, 4) : [draw.int(1, 4), draw.int(1, 4)] as [number, number],
    interpolation: draw.pick(UPSAMPLE_INTERPOLATIONS),
  }),
};
