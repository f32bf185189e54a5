import { isImage, type KindExamples } from '../example.ts';

/**
 * One pixel off each side where the map has 3 or more rows and columns. Random: 0 up to what leaves one row or
 * column per axis, and sometimes more than that (the analysis refuses it).
 */
export const cropping2dExamples: KindExamples<'cropping2d'> = {
  fits: (x) => (isImage(x) && x[0] >= 3 && x[1] >= 3 ? [{ cropping: 1 }] : []),
  random: (x, draw) => {
    const most = (d: number) => Math.max(0, Math.floor((d - 1) / 2));
    const h = draw.int(0, 9) > 0 ? draw.int(0, most(x[0])) : draw.int(0, most(x[0]) + 2);
    return { cropping: draw.bool() ? [h, draw.int(0, most(x[1]))] : Math.min(h, most(x[1])) };
  },
};
