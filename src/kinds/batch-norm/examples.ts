import { someOf, type KindExamples } from '../example.ts';

/** Batch norm on a map or a flat vector, at its defaults. Random: Keras's and PyTorch's epsilons, momentum 0 too. */
export const batchNormExamples: KindExamples<'batchNorm'> = {
  fits: () => [{}],
  random: (_x, draw) => someOf(draw, { epsilon: draw.pick([0.001, 0.01, 1e-5]), momentum: draw.pick([0.99, 0.9, 0]) }),
};
