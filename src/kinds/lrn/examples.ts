import { isImage, someOf, type KindExamples } from '../example.ts';

/** LRN on an H×W×C map. Random: depth radius 0–3 (0: each channel alone), and each constant over three values. */
export const lrnExamples: KindExamples<'lrn'> = {
  fits: (x) => (isImage(x) ? [{}] : []),
  random: (_x, draw) => someOf(draw, {
    depthRadius: draw.int(0, 3), bias: draw.pick([0.5, 1, 2]), alpha: draw.pick([1e-4, 0.1, 1]), beta: draw.pick([0.5, 0.75, 1]),
  }),
};
