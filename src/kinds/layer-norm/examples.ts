import { someOf, type KindExamples } from '../example.ts';

/**
 * A layer norm on a map or a flat vector: at ConvNeXt's epsilon (the default) and at PyTorch's. Random: ConvNeXt's,
 * PyTorch's and Keras's epsilons, and a large one that visibly shrinks the output (a misplaced epsilon shows).
 */
export const layerNormExamples: KindExamples<'layerNorm'> = {
  fits: () => [{}, { epsilon: 1e-5 }],
  random: (_x, draw) => someOf(draw, { epsilon: draw.pick([1e-6, 1e-5, 1e-3, 0.5]) }),
};
