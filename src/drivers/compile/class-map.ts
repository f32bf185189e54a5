/**
 * The class map of a segmentation output: for an `[H, W, classes]` output, the class each pixel scores highest.
 * One rule for the run worker and the Run tab's legend. Pure: no tfjs, no DOM.
 */

/** An output is read as per-pixel class scores when it is `[H, W, classes]` with at least two classes. */
export function isClassScores(shape: readonly number[]): boolean {
  return shape.length === 3 && shape[2] >= 2;
}

/**
 * The index of the largest of each pixel's `classes` scores (channels last, as tfjs lays out `[H, W, C]`); ties
 * go to the lower index, as `torch.argmax` and `tf.argMax` do. NaN scores never win.
 * @param values `pixels · classes` scores, pixel-major
 * @returns one class index per pixel, row-major
 * @example argmaxPerPixel([0.1, 0.9, 0.5, 0.2], 2, 2) // → Int32Array [1, 0]
 */
export function argmaxPerPixel(values: ArrayLike<number>, pixels: number, classes: number): Int32Array {
  const out = new Int32Array(pixels);
  for (let p = 0; p < pixels; p++) {
    const base = p * classes;
    let best = 0;
    let bestValue = values[base];
    for (let k = 1; k < classes; k++) {
      const v = values[base + k];
      if (v > bestValue || (bestValue !== bestValue && v === v)) {
        best = k;
        bestValue = v;
      }
    }
    out[p] = best;
  }
  return out;
}

/**
 * How many pixels of a class map belong to each class: an array of `classes` counts summing to `map.length`.
 * @example classCounts(Int32Array.from([1, 0, 1]), 3) // → [1, 2, 0]
 */
export function classCounts(map: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let p = 0; p < map.length; p++) counts[map[p]]++;
  return counts;
}
