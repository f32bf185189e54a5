/**
 * Edges routed around layers: an edge whose straight run from its source's bottom to its target's top would
 * pass through another layer (an inception branch into its concat, a dense block's skip, a residual skip into
 * its add) goes down a free vertical channel beside them instead, with room for its shape label there.
 * Pure: flow coordinates, boxes as `{x, y, width, height}`.
 */

import type { Box } from './placement.ts';

/** Half the room a channel keeps free on each side (half a shape label's width, and some air). */
export const CHANNEL_CLEAR = 40;

/** Whether the segment from a to b passes through the box (Liang–Barsky clipping). */
export function segmentHitsBox(ax: number, ay: number, bx: number, by: number, r: Box): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = bx - ax;
  const dy = by - ay;
  const clip = (p: number, q: number) => {
    if (p === 0) return q >= 0;
    const t = q / p;
    if (p < 0) {
      if (t > t1) return false;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return false;
      if (t < t1) t1 = t;
    }
    return true;
  };
  return clip(-dx, ax - r.x) && clip(dx, r.x + r.width - ax) && clip(-dy, ay - r.y) && clip(dy, r.y + r.height - ay) && t0 < t1;
}

/**
 * The x of a vertical channel for an edge from (sx, sy) down to (tx, ty) that would otherwise cross a box, or
 * null when the straight run is clear (or the edge does not go down). The channel keeps `CHANNEL_CLEAR` from
 * every box over the rows it spans; of the nearest free channel on the left and on the right, the one nearer
 * the edge's own middle wins.
 */
export function channelAround(sx: number, sy: number, tx: number, ty: number, boxes: readonly Box[]): number | null {
  const top = sy + 12;
  const bottom = ty - 12;
  if (bottom - top < 40) return null;
  const hits = boxes.filter((b) => segmentHitsBox(sx, sy + 4, tx, ty - 4, b));
  if (!hits.length) return null;
  const span = boxes.filter((b) => b.y < bottom && b.y + b.height > top);
  const blocking = (x: number) => span.filter((b) => x + CHANNEL_CLEAR > b.x && x - CHANNEL_CLEAR < b.x + b.width);
  let left = Math.min(...hits.map((b) => b.x)) - CHANNEL_CLEAR;
  for (let i = 0, bl = blocking(left); bl.length && i < 100; i++, bl = blocking(left)) left = Math.min(...bl.map((b) => b.x)) - CHANNEL_CLEAR;
  let right = Math.max(...hits.map((b) => b.x + b.width)) + CHANNEL_CLEAR;
  for (let i = 0, bl = blocking(right); bl.length && i < 100; i++, bl = blocking(right)) right = Math.max(...bl.map((b) => b.x + b.width)) + CHANNEL_CLEAR;
  const mid = (sx + tx) / 2;
  return Math.abs(left - mid) < Math.abs(right - mid) ? left : right;
}

/** The SVG path down channel `x`, and where its label sits (on the channel, halfway). */
export function channelPath(sx: number, sy: number, tx: number, ty: number, x: number): { path: string; lx: number; ly: number } {
  const a = sy + 46;
  const b = ty - 46;
  return {
    path: `M ${sx},${sy} C ${sx},${sy + 30} ${x},${sy + 16} ${x},${a} L ${x},${b} C ${x},${ty - 16} ${tx},${ty - 30} ${tx},${ty}`,
    lx: x,
    ly: (a + b) / 2,
  };
}
