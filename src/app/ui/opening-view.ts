/**
 * Where the canvas looks when a design opens: the whole design where it reads whole, else the part a person reads
 * first at a zoom where node labels are legible, the rest a pan (or a click on the minimap) away.
 */

/** A box in flow coordinates (React Flow's node bounds), or the canvas on screen (x and y ignored there), px. */
export interface Box { x: number; y: number; width: number; height: number }

/** What the canvas does on open: fit everything (React Flow's fitView), or set this viewport. */
export type OpeningView = { fit: true } | { fit: false; x: number; y: number; zoom: number };

/** The zoom limits, chosen on screenshots at 1280×720 and 1400×900. */
export const OPENING_ZOOM = {
  /** the largest zoom a fit goes to: small designs are not blown up */
  max: 1.2,
  /** below this a whole fit is too small to read: the view shows a part instead */
  wholeFloor: 0.45,
  /** a tall design shows its top at this zoom (node names and shapes read easily) */
  tall: 0.7,
  /** a wide design shows its left part at this zoom: names still read, and a sibling group's head comes into view */
  wide: 0.6,
} as const;

/** The margin, px on screen, left above and beside a part shown from its top-left. */
const MARGIN = 24;

/**
 * The opening view of a design whose nodes span `bounds` (flow px) on a canvas `canvas` wide and high (screen px),
 * `room` of its width clear of the minimap. A design that fits at `OPENING_ZOOM.wholeFloor` or more is fitted
 * whole, and so is one shown as its outline (groups collapsed: the outline is the point). A taller one shows its
 * top at `tall`, centred. A design too wide to read whole at `tall` (two modules side by side: the Inception
 * lesson) shows its left part, its top-left corner a margin from the canvas', at `wide`: centring it would cut every
 * group at both ends, while from the left the first group reads whole and the next group's head (its name and
 * params) beside it.
 */
export function openingView(bounds: Box, canvas: { width: number; height: number }, room: number, outline: boolean): OpeningView {
  const fit = Math.min(OPENING_ZOOM.max, (room * 0.88) / bounds.width, (canvas.height * 0.88) / bounds.height);
  if (fit >= OPENING_ZOOM.wholeFloor || outline) return { fit: true };
  if (bounds.width * OPENING_ZOOM.tall <= room * 0.88) {
    const zoom = Math.max(fit, OPENING_ZOOM.tall);
    return { fit: false, x: room / 2 - (bounds.x + bounds.width / 2) * zoom, y: MARGIN - bounds.y * zoom, zoom };
  }
  const zoom = Math.max(fit, OPENING_ZOOM.wide);
  return { fit: false, x: MARGIN - bounds.x * zoom, y: MARGIN - bounds.y * zoom, zoom };
}
