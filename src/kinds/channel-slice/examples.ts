import { someOf, type KindExamples } from '../example.ts';

/**
 * The first half and the second half of the channels (ShuffleNet v2's split), or all of one channel. Random: any
 * run of channels inside C (the first, the last, all of them), start left out sometimes for its default 0.
 */
export const channelSliceExamples: KindExamples<'channelSlice'> = {
  fits: (x) => {
    const c = x[x.length - 1];
    return c >= 2 ? [{ size: Math.floor(c / 2) }, { start: Math.floor(c / 2), size: c - Math.floor(c / 2) }] : [{ size: 1 }];
  },
  random: (x, draw) => {
    const c = x[x.length - 1];
    const start = draw.int(0, c - 1);
    const size = draw.int(1, c - start);
    return someOf(draw, { start, size }, ['size']);
  },
};
