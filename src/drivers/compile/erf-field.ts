/**
 * The effective receptive field's plain data and arithmetic (no tfjs), so the editor's Run tab can read a map the
 * run worker computed without loading tfjs (drivers/compile/erf.ts computes it; docs/effective-field.md).
 */

import type { ReceptiveField } from '../../engine/index.ts';

/** What `convas erf --json` prints (docs/command-line.md#erf) and the run worker sends the Run tab. */
export interface EffectiveField {
  node: string;
  /** the unit, `[⌊Ho/2⌋, ⌊Wo/2⌋]` unless another was asked for */
  unit: [number, number];
  /** H rows of W numbers: Σ over input channels of |∂ Σ_c y[i, j, c] / ∂ x|, scaled to a maximum of 1 (all 0 when the gradient is) */
  map: number[][];
  /** the node's receptive field from the analysis */
  theoretical: ReceptiveField | null;
  /** half-side of the smallest square around the unit's centre holding 90% of the map's mass */
  radius90: number;
}

/**
 * The half-side r of the smallest square [ci − r, ci + r] × [cj − r, cj + r] (cut at the image's edges) holding at
 * least 90% of the map's mass; 0 for a map of zeros.
 */
export function radius90(map: number[][], centre: [number, number]): number {
  const h = map.length;
  const w = map[0]?.length ?? 0;
  const total = map.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  if (!(total > 0)) return 0;
  const [ci, cj] = centre;
  const rMax = Math.max(ci, h - 1 - ci, cj, w - 1 - cj);
  for (let r = 0; r <= rMax; r++) {
    let mass = 0;
    for (let i = Math.max(0, ci - r); i <= Math.min(h - 1, ci + r); i++) {
      for (let j = Math.max(0, cj - r); j <= Math.min(w - 1, cj + r); j++) mass += map[i][j];
    }
    if (mass >= 0.9 * total) return r;
  }
  return rMax;
}

/**
 * The input pixel at the centre of unit `[i, j]`'s theoretical field (rounded down, clipped to the image), or the
 * image's centre where the field has no single window per unit (phases) or none at all.
 */
export function fieldCentre(rf: ReceptiveField | null, unit: [number, number], h: number, w: number): [number, number] {
  if (!rf || rf.phases) return [Math.floor((h - 1) / 2), Math.floor((w - 1) / 2)];
  const c = (a: 0 | 1, n: number) => Math.min(n - 1, Math.max(0, Math.floor(unit[a] * rf.stride[a] - rf.padding[a] + (rf.size[a] - 1) / 2)));
  return [c(0, h), c(1, w)];
}
