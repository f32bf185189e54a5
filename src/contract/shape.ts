/** Tensor shapes (channels-last, batch left out; docs/design-format.md#shapes). */

/**
 * Whether two shapes are the same, dimension by dimension; two missing shapes (`null`, a node that cannot be
 * computed) count as the same. Accepts tfjs shapes, whose unknown dimensions are `null`.
 * @example sameShape([7, 7, 512], [7, 7, 512]) // → true
 */
export function sameShape(a: readonly (number | null)[] | null, b: readonly (number | null)[] | null): boolean {
  if (a === b) return true;
  return a !== null && b !== null && a.length === b.length && a.every((d, i) => d === b[i]);
}
