import { drawActivation, someOf, type KindExamples } from '../example.ts';

/** A dense layer on a flat vector, with and without bias. Random: units 1–6. */
export const denseExamples: KindExamples<'dense'> = {
  fits: (x) => (x.length === 1 ? [{ units: 5 }, { units: 5, useBias: false }] : []),
  random: (_x, draw) => someOf(draw, { units: draw.int(1, 6), useBias: draw.bool(), activation: drawActivation(draw) }, ['units']),
};
