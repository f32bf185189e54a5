import type { ReceptiveField } from '../../../engine/index.ts';
import { unitWindow } from '../../../engine/receptive-field.ts';

/**
 * The colour of class `k` in the PASCAL VOC colour map (Everingham et al.; the one torchvision's and most
 * segmentation tools' examples draw with): the bits of k, three at a time, go to the top bits of red, green and
 * blue. Class 0 (background in VOC) is black; every index below 2^24 gets its own colour.
 * @example classColour(15) // → [192, 128, 128] (VOC's "person")
 */
export function classColour(k: number): [number, number, number] {
  let r = 0, g = 0, b = 0;
  for (let bit = 7, c = k; c > 0 && bit >= 0; bit--, c >>= 3) {
    r |= (c & 1) << bit;
    g |= ((c >> 1) & 1) << bit;
    b |= ((c >> 2) & 1) << bit;
  }
  return [r, g, b];
}

/** Where a class map lies on the input, per axis `[rows, columns]`, in input pixels (pixel p spans [p, p + 1)). */
export interface Placement {
  /** the map's first edge */
  start: [number, number];
  /** the map's extent (its units times the average stride) */
  extent: [number, number];
  /** the centre of unit 0 (a pixel index; a half where it falls between pixels) */
  centre0: [number, number];
  /** how it was placed: over the whole input (same size), by the output's receptive field, or stretched (no field) */
  how: 'covers' | 'field' | 'stretched';
}

/**
 * Where an `[h, w, ·]` output's units lie on an `[inH, inW]` input. An output the input's size covers it. Otherwise
 * each unit is centred on its receptive field: unit u's window is `[a(u), b(u)]` (`unitWindow`, so the first one
 * starts at −padding), the units advance by the average stride s, and unit 0's centre is the mean over one
 * period of (a(u) + b(u))/2 − u·s, which for a field of one window size is (size − 1)/2 − padding. U-Net (572 in,
 * valid convs, 388 out): 92, the (572 − 388)/2 of the paper's copy-and-crop. The map spans s pixels a unit, its
 * first edge half a stride before unit 0's centre pixel's middle. Without a field (a global-only output) it is
 * stretched over the input.
 * @param rf the output node's receptive field, or null
 */
export function placeClassMap(rf: ReceptiveField | null | undefined, h: number, w: number, inH: number, inW: number): Placement {
  if (h === inH && w === inW) return { start: [0, 0], extent: [inH, inW], centre0: [0, 0], how: 'covers' };
  if (!rf) return { start: [0, 0], extent: [inH, inW], centre0: [(inH / h - 1) / 2, (inW / w - 1) / 2], how: 'stretched' };
  const axis = (a: 0 | 1, n: number) => {
    const period = rf.phases?.period[a] ?? 1;
    const stride = rf.stride[a];
    let sum = 0;
    for (let u = 0; u < period; u++) {
      const [first, last] = unitWindow(rf, a, u);
      sum += (first + last) / 2 - u * stride;
    }
    const centre0 = sum / period;
    return { centre0, start: centre0 + 0.5 - stride / 2, extent: n * stride };
  };
  const r = axis(0, h);
  const c = axis(1, w);
  return { start: [r.start, c.start], extent: [r.extent, c.extent], centre0: [r.centre0, c.centre0], how: 'field' };
}
