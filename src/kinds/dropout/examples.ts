import { someOf, type KindExamples } from '../example.ts';

/** Any input; random: rates 0, 0.3, 0.5 (or the default). */
export const dropoutExamples: KindExamples<'dropout'> = {
  fits: () => [{}],
  random: (_x, draw) => someOf(draw, { rate: draw.pick([0, 0.3, 0.5]) }),
};
