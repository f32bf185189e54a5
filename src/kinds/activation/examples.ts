import { drawActivation, type KindExamples } from '../example.ts';

/** Any input; random: every activation function. */
export const activationExamples: KindExamples<'activation'> = {
  fits: () => [{ fn: 'relu' }],
  random: (_x, draw) => ({ fn: drawActivation(draw) }),
};
