/**
 * Where the editor puts what a person adds without pointing at a spot: a palette click, a block, a paste, a
 * quick fix. One rule for all of them:
 * - a new layer (or a block's bounding box) never overlaps another layer: it keeps at least `CLEAR_X` px
 *   beside and `CLEAR_Y` px above and below every layer box (a group frame's padding and header fit inside);
 * - it goes one row below the layer it hangs from; when that spot is taken (a sibling is there already) it
 *   goes beside it, one column to the right at a time, so siblings sit side by side;
 * - an insert on an edge (source → new → target) takes the target's place and pushes everything from the
 *   target's row down by one row, so the chain stays a straight line.
 * Pure: positions are in canvas (flow) pixels, boxes are `NODE_WIDTH` × `NODE_HEIGHT` per layer.
 */

import { insertOnEdges, nodeDepths, type Design, type DesignEdge, type DesignNode, type Fragment, type Position } from '../index.ts';
import { NODE_HEIGHT, NODE_WIDTH } from './node-size.ts';

/** Horizontal gap between side-by-side layers, and vertical gap between rows (px). */
export const GAP_X = 40;
export const GAP_Y = 50;
/** One column / one row of the grid the rule steps on. */
export const COLUMN = NODE_WIDTH + GAP_X;
export const ROW = NODE_HEIGHT + GAP_Y;
/** The clearance a new box keeps from every layer box: less than the gaps, more than a group frame's margin. */
export const CLEAR_X = 30;
export const CLEAR_Y = 40;

export interface Box { x: number; y: number; width: number; height: number }

/** The boxes of the design's positioned layers (optionally leaving some out). */
export function layerBoxes(nodes: readonly DesignNode[], skip?: ReadonlySet<string>): Box[] {
  const out: Box[] = [];
  for (const n of nodes) if (n.position && !skip?.has(n.id)) out.push({ x: n.position.x, y: n.position.y, width: NODE_WIDTH, height: NODE_HEIGHT });
  return out;
}

export interface Clearance { x: number; y: number }
/** What the editor's own placements keep; a drop where the person points keeps only `DROP_CLEARANCE`. */
export const CLEARANCE: Clearance = { x: CLEAR_X, y: CLEAR_Y };
export const DROP_CLEARANCE: Clearance = { x: 8, y: 8 };

/** Whether two boxes come closer than the clearance (default `CLEAR_X` beside, `CLEAR_Y` above/below). */
export function tooClose(a: Box, b: Box, clear: Clearance = CLEARANCE): boolean {
  return a.x < b.x + b.width + clear.x && b.x < a.x + a.width + clear.x
    && a.y < b.y + b.height + clear.y && b.y < a.y + a.height + clear.y;
}

/**
 * The first spot for a box of `size` at or after `at` that keeps clear of every box in `taken`: `at` itself,
 * else one column to the right at a time (up to 24 columns), else the same scan one row further down.
 * @example freeSpot([{x:0,y:124,width:200,height:74}], {x:0,y:124}, {width:200,height:74}) // → {x:240,y:124}
 */
export function freeSpot(taken: readonly Box[], at: Position, size: { width: number; height: number }, clear: Clearance = CLEARANCE): Position {
  for (let row = 0; row < 200; row++) {
    for (let col = 0; col < 24; col++) {
      const box = { x: at.x + col * COLUMN, y: at.y + row * ROW, width: size.width, height: size.height };
      if (!taken.some((t) => tooClose(box, t, clear))) return { x: box.x, y: box.y };
    }
  }
  return at; // unreachable for any design the editor can hold
}

/** The bounding box of some nodes' layer boxes (a fragment's, before it is placed). */
export function boundsOf(nodes: readonly DesignNode[]): Box {
  const boxes = layerBoxes(nodes);
  if (!boxes.length) return { x: 0, y: 0, width: NODE_WIDTH, height: NODE_HEIGHT };
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.width));
  const y1 = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * Where a palette click puts a layer or a block of `size` (a single layer by default): one row below the last
 * selected layer (`anchor`, which then feeds it), else below the design's lowest layer (no anchor), else at
 * the origin; moved right, column by column, until it overlaps nothing.
 */
export function placeBelowSelection(
  design: Pick<Design, 'nodes'>,
  selection: readonly string[],
  size: { width: number; height: number } = { width: NODE_WIDTH, height: NODE_HEIGHT },
): { anchor: DesignNode | undefined; at: Position } {
  const anchorId = selection[selection.length - 1];
  const anchor = anchorId ? design.nodes.find((n) => n.id === anchorId) : undefined;
  const boxes = layerBoxes(design.nodes);
  let base: Position | undefined = anchor?.position;
  if (!base && boxes.length) {
    // below the lowest layer, at the left edge of the drawing
    const lowest = boxes.reduce((a, b) => (b.y > a.y ? b : a));
    base = { x: lowest.x, y: lowest.y };
  }
  if (!base) return { anchor, at: { x: 0, y: 0 } };
  return { anchor, at: freeSpot(boxes, { x: base.x, y: base.y + ROW }, size) };
}

/**
 * Where a piece dropped or pasted at `at` (its top-left corner) goes: `at` when it is clear, else the first
 * clear spot to its right or below (the same scan as `freeSpot`). A drop passes `DROP_CLEARANCE`: the person
 * chose the spot, so it moves only when it would cover a layer.
 */
export function clearSpot(design: Pick<Design, 'nodes'>, at: Position, size: { width: number; height: number }, clear: Clearance = CLEARANCE): Position {
  return freeSpot(layerBoxes(design.nodes), at, size, clear);
}

/** How far a copy lands right of and below its original (px), and each further paste beyond the last. */
export const PASTE_STEP = 60;

/**
 * Where a pasted or duplicated fragment goes (its top-left corner): `PASTE_STEP` px right of and below where
 * it was copied from, or the first clear spot after that (`clearSpot`).
 */
export function pasteSpot(design: Pick<Design, 'nodes'>, fragment: Fragment): Position {
  const b = boundsOf(fragment.nodes);
  return clearSpot(design, { x: b.x + PASTE_STEP, y: b.y + PASTE_STEP }, b);
}

/**
 * Gives nodes without a position a provisional place (row = longest-path depth from the inputs, 130 px a row;
 * side by side within a row, 240 px apart), so that nothing sits stacked at the origin while the real
 * auto-layout runs in its worker. Nodes with a position keep it.
 * @returns the design itself when every node has a position
 */
export function placeUnpositioned(design: Design): Design {
  if (!design.nodes.some((n) => !n.position)) return design;
  const depth = nodeDepths(design);
  const used = new Map<number, number>();
  return {
    ...design,
    nodes: design.nodes.map((n) => {
      if (n.position) return n;
      const d = depth.get(n.id) ?? 0;
      const k = used.get(d) ?? 0;
      used.set(d, k + 1);
      return { ...n, position: { x: k * 240, y: d * 130 } };
    }),
  };
}

/**
 * Puts `node` on `edge` (source → node → target, the edge's port kept on the node → target half) and places
 * it: on the target's spot, pushing every layer from the target's row down one row; when the target merges
 * several inputs (a skip edge into an `add`), in the column beside the target on the source's side, one row
 * above the target once it is pushed down, so the other inputs' path stays straight. The new layer joins the
 * target's group. Returns the new design (one design: a quick fix is one undo step).
 */
export function placeOnEdge(design: Design, edge: DesignEdge, node: DesignNode): Design {
  return placeOnEdges(design, [edge], node);
}

/**
 * `placeOnEdge` for several edges into one target at once: each edge's source feeds `node` (ports 0, 1, … in
 * the order given when there are several), and `node` feeds the target through the first edge's port. Placed
 * by the same rule. Used to merge the inputs of a layer that takes one.
 */
export function placeOnEdges(design: Design, moved: DesignEdge[], node: DesignNode): Design {
  const first = moved[0];
  const src = design.nodes.find((n) => n.id === first.source);
  const dst = design.nodes.find((n) => n.id === first.target);
  let placed = design;
  let created: DesignNode;
  if (dst?.position) {
    const top = dst.position.y;
    // everything from the target's row down moves one row down
    const nodes = design.nodes.map((n) => (n.position && n.position.y >= top ? { ...n, position: { x: n.position.x, y: n.position.y + ROW } } : n));
    const isMoved = (e: DesignEdge) => moved.some((m) => m === e || (m.id === e.id && m.source === e.source && m.target === e.target));
    const merge = design.edges.some((e) => e.target === first.target && !isMoved(e));
    let x = dst.position.x;
    if (merge) {
      const sx = src?.position?.x ?? dst.position.x + COLUMN;
      x = sx < dst.position.x ? dst.position.x - COLUMN : dst.position.x + COLUMN;
    }
    created = { ...node, position: freeSpot(layerBoxes(nodes), { x, y: top }, { width: NODE_WIDTH, height: NODE_HEIGHT }) };
    placed = { ...design, nodes };
  } else {
    const { position: _none, ...rest } = node;
    created = rest;
  }
  // the wiring is the engine's one insert rule (`insertOnEdges`) (the target's input order and group kept)
  return insertOnEdges(placed, moved, created);
}

/**
 * Lays out an applied rewrite: the added layers take the advised layer's place, one row each, and the advised
 * layer with everything downstream of it moves down to make room (so nothing lands on top of another layer).
 */
export function makeRoom(design: Design, nodeId: string, added: string[]): Design {
  const target = design.nodes.find((n) => n.id === nodeId);
  if (!added.length || !target?.position) return design;
  const at = target.position;
  const out = new Map<string, string[]>();
  for (const e of design.edges) {
    const l = out.get(e.source);
    if (l) l.push(e.target);
    else out.set(e.source, [e.target]);
  }
  const below = new Set<string>([nodeId]);
  const stack = [nodeId];
  while (stack.length) for (const t of out.get(stack.pop()!) ?? []) if (!below.has(t)) { below.add(t); stack.push(t); }
  const shift = ROW * added.length;
  const order = new Map(added.map((id, i) => [id, i]));
  return {
    ...design,
    nodes: design.nodes.map((n) => {
      const i = order.get(n.id);
      if (i !== undefined) return { ...n, position: { x: at.x, y: at.y + i * ROW } };
      if (below.has(n.id) && n.position) return { ...n, position: { x: n.position.x, y: n.position.y + shift } };
      return n;
    }),
  };
}
