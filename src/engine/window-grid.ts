/**
 * What "Explain this layer" draws of one axis of a windowed layer: the whole grid when it is small, else its first
 * and its last cells with a marked gap between, so the last window, the cells no window reaches (which lie at the
 * end when the stride does not divide) and the last output cell are always drawn. Pure: window-grid.test.ts checks
 * it on every windowed node of the presets and on random axes.
 */

import { windowStart, type AxisExplanation } from './window-explain.ts';

/** An axis of at most this many cells (padding included) is drawn whole. */
export const MAX_GRID_CELLS = 16;
/**
 * Cells drawn along an elided axis: one less than a whole grid, as the gap takes a cell's width, so an elided
 * grid is never wider than a whole one (unless one window is wider than this: its cells are all drawn).
 */
export const ELIDED_GRID_CELLS = MAX_GRID_CELLS - 1;

/** A run `[from, to)` of consecutive grid cells. */
export interface CellRun { from: number; to: number }

/**
 * One axis as drawn. Grid coordinates are those of `windowStart`: gather, the input's index (padding negative or
 * ≥ its size); scatter, the output's index after the crop (cropped cells negative or ≥ its size).
 */
export interface AxisGrid {
  /** the whole windowed grid `[from, to)`: the padded input (gather) or the output before the crop (scatter) */
  from: number;
  to: number;
  /** the unpadded grid's size along the axis (gather: input; scatter: output) */
  size: number;
  /** the other grid's size: one cell per window (gather: output; scatter: input) */
  windowCount: number;
  /** the grid cells drawn: one run, or two with a gap between (ascending, disjoint, not touching) */
  runs: CellRun[];
  /** the windows drawn, ascending: the first ones and the last ones; each one's whole extent lies in one run */
  windows: number[];
  /** the windows left out between the first and the last ones drawn, `[from, to)`, or null when none is */
  hiddenWindows: CellRun | null;
  /** the unreached cells (AxisExplanation.unreached) that lie in the gap, so not drawn: counted instead */
  hiddenUnreached: number[];
}

/** True when grid cell `c` is drawn. */
export const cellDrawn = (g: AxisGrid, c: number): boolean => g.runs.some((r) => c >= r.from && c < r.to);

const runLength = (runs: CellRun[]) => runs.reduce((n, r) => n + r.to - r.from, 0);

/**
 * The drawn part of one axis. Whole when the padded grid has at most `MAX_GRID_CELLS` cells; else the first windows
 * from the grid's start and the last windows to the grid's end, added one at a time (first, then last) while the
 * cells drawn stay within `ELIDED_GRID_CELLS`. The last run always reaches the grid's end, so the trailing cells the
 * stride leaves out, the trailing padding and the last window are drawn.
 * @param gather true for a layer that gathers (conv, pool), false for one that scatters (transposed conv, upsampling)
 */
export function axisGrid(a: AxisExplanation, gather: boolean): AxisGrid {
  const size = gather ? a.input : a.output;
  const windowCount = gather ? a.output : a.input;
  const from = 0 - a.before; // not -a.before: -0 would print as "-0"
  // scatter: cells past the full output (output padding, `same`'s zero-extension) are output cells all the same
  const to = size + Math.max(a.after, 0);
  const all = Array.from({ length: windowCount }, (_, o) => o);
  const whole = (): AxisGrid => ({ from, to, size, windowCount, runs: [{ from, to }], windows: all, hiddenWindows: null, hiddenUnreached: [] });
  if (to - from <= MAX_GRID_CELLS) return whole();
  const end = (o: number) => windowStart(a, o) + a.extent;
  const runsFor = (head: number, tail: number): CellRun[] => [
    { from, to: Math.max(end(head - 1), from + 1) },
    { from: Math.min(windowStart(a, windowCount - tail), to - 1), to },
  ];
  let head = 1;
  let tail = windowCount > 1 ? 1 : 0;
  const fits = (h: number, t: number) => h + t <= windowCount && runLength(runsFor(h, t)) <= ELIDED_GRID_CELLS;
  for (let grew = true; grew;) {
    grew = false;
    if (fits(head + 1, tail)) { head++; grew = true; }
    if (tail > 0 && fits(head, tail + 1)) { tail++; grew = true; }
  }
  // a single window (tail 0) still draws the grid's last cell
  const runs = runsFor(head, tail);
  // one window wider than the budget can make the runs meet: then nothing is left out
  if (runs[0].to >= runs[1].from) return whole();
  const windows = [...all.slice(0, head), ...all.slice(windowCount - tail)];
  const hiddenWindows = head < windowCount - tail ? { from: head, to: windowCount - tail } : null;
  const g: AxisGrid = { from, to, size, windowCount, runs, windows, hiddenWindows, hiddenUnreached: [] };
  g.hiddenUnreached = a.unreached.filter((c) => !cellDrawn(g, c));
  return g;
}

/** `7–19` or `7`: a run of indices, `[from, to)`, as read on screen. */
export function runText(r: CellRun): string {
  return r.to - r.from === 1 ? `${r.from}` : `${r.from}–${r.to - 1}`;
}

/** The grid cells left out between the two runs, `[from, to)`, or null for a whole axis. */
export function hiddenCells(g: AxisGrid): CellRun | null {
  return g.runs.length === 2 ? { from: g.runs[0].to, to: g.runs[1].from } : null;
}
