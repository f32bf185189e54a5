import { drawInt2, isImage, type KindExamples } from '../example.ts';

/** One pixel of zeros around an H×W×C map. Random: 0–2 per axis, one number or a pair. */
export const zeroPad2dExamples: KindExamples<'zeroPad2d'> = {
  fits: (x) => (isImage(x) ? [{ padding: 1 }] : []),
  random: (_x, draw) => ({ padding: drawInt2(draw, 0, 2) }),
};
