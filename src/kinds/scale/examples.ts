import { someOf, type KindExamples } from '../example.ts';

/**
 * A layer scale on a map or a flat vector: at its default, and at ConvNeXt's 1e-6. Random: factors that keep the
 * numbers in range (1, ConvNeXt's 1e-6, and a negative one so a sign error shows).
 */
export const scaleExamples: KindExamples<'scale'> = {
  fits: () => [{}, { initValue: 1e-6 }],
  random: (_x, draw) => someOf(draw, { initValue: draw.pick([1, 1e-6, 0.5, -2]) }),
};
