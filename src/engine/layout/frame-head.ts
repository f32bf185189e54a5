/**
 * Keeping an edge's shape label out of a group frame's head. An open frame draws its label, toggle and totals in
 * the band at its top (`HEADER`, group-frames.ts), and the canvas draws that head above the edges' labels, so an
 * edge running into the frame would have its label hidden there: the label moves down its edge, below the band,
 * into the padding above the layer it enters.
 */

import type { Design } from '../index.ts';
import { computeFrames, HEADER, PAD } from './group-frames.ts';

const tops = new WeakMap<Design, Map<string, number>>();

/**
 * The y of the bottom of the head band of the open frame around `nodeId`, or null where the node is in no open
 * group. Computed once per design, so every edge of a large design asks in constant time.
 */
export function headBandBottom(design: Design, nodeId: string): number | null {
  let m = tops.get(design);
  if (!m) {
    m = new Map();
    const { frames } = computeFrames(design);
    const bottom = new Map(frames.filter((f) => !f.collapsed).map((f) => [f.group.id, f.y + HEADER]));
    for (const n of design.nodes) {
      const b = n.group ? bottom.get(n.group) : undefined;
      if (b !== undefined) m.set(n.id, b);
    }
    tops.set(design, m);
  }
  return m.get(nodeId) ?? null;
}

/**
 * The point of React Flow's default bezier edge (bottom handle to top handle, curvature 0.25: both control points
 * half the height away, `getBezierPath` in @xyflow/system) at height `y`, which lies between `sy` and `ty`
 * (sy < ty). The curve's y rises monotonically there, so bisection finds its parameter.
 *
 * @example bezierAtY(0, 0, 100, 100, 50) // → { x: 50, y: 50 } (the midpoint, by symmetry)
 */
export function bezierAtY(sx: number, sy: number, tx: number, ty: number, y: number): { x: number; y: number } {
  const d = ty - sy;
  // x(t) = sx + (tx − sx)(3t² − 2t³); y(t) = sy + d(1.5t(1 − t) + t³) with control points at sy + d/2
  const yAt = (t: number) => sy + d * (1.5 * t * (1 - t) + t * t * t);
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (yAt(mid) < y) lo = mid;
    else hi = mid;
  }
  const t = (lo + hi) / 2;
  return { x: sx + (tx - sx) * (3 * t * t - 2 * t * t * t), y: yAt(t) };
}

/**
 * Where an edge's label goes: at (lx, ly) as drawn, unless that lies in the head band of the open frame its target
 * is in while the edge comes from above the band; then on the edge, halfway down the padding between the band
 * and the target layer (`PAD`), where no head covers it.
 */
export function labelClearOfHead(
  sx: number, sy: number, tx: number, ty: number, lx: number, ly: number, bandBottom: number | null,
): { x: number; y: number } {
  if (bandBottom === null || ly >= bandBottom + PAD / 2 || sy >= bandBottom || ty <= bandBottom) return { x: lx, y: ly };
  return bezierAtY(sx, sy, tx, ty, Math.min(bandBottom + PAD / 2, ty));
}
