import type { KindExamples } from '../example.ts';

/** The input that gives `x`: its one param is the shape. */
export const inputExamples: KindExamples<'input'> = {
  fits: (x) => [{ shape: [...x] }],
  random: (x) => ({ shape: [...x] }),
};
