/**
 * What a forward pass reports about one output, one rule for `convas run` and the Run tab's worker. Pure: no
 * tfjs, no DOM.
 */

/** Smallest, largest and mean value of an output (NaN mean for an empty one). */
export interface ValueStats {
  min: number;
  max: number;
  mean: number;
}

/**
 * Min, max and mean of `values` in one pass.
 * @example valueStats([1, 2, 6]) // → { min: 1, max: 6, mean: 3 }
 */
export function valueStats(values: ArrayLike<number>): ValueStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, max, mean: values.length ? sum / values.length : NaN };
}

/**
 * The `k` largest values as `[index, value]`, largest first; ties go to the lower index.
 * @example topK([0.1, 0.7, 0.2], 2) // → [[1, 0.7], [2, 0.2]]
 */
export function topK(values: ArrayLike<number>, k: number): [number, number][] {
  return Array.from(values, (v, i) => [i, v] as [number, number]).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
}
