import { divisorsUpTo, type KindExamples } from '../example.ts';

/**
 * A shuffle of 2 groups (ShuffleNet v2's) where 2 divides the channels, and of every channel (C groups of one: the
 * identity, an edge case). Random: the divisors of C up to 8, so the view's both sides vary, and sometimes one that
 * does not divide (the analysis refuses it).
 */
export const channelShuffleExamples: KindExamples<'channelShuffle'> = {
  fits: (x) => {
    const c = x[x.length - 1];
    return c % 2 === 0 ? [{ groups: 2 }, { groups: c }] : [{ groups: c }];
  },
  random: (x, draw) => ({ groups: draw.int(0, 9) > 0 ? draw.pick(divisorsUpTo(x[x.length - 1], 8)) : draw.int(2, 5) }),
};
