import type { ReactNode } from 'react';
import { windowStart, windowTaps, type WindowExplanation } from '../../../engine/window-explain.ts';
import { hiddenCells, runText, type AxisGrid, type CellRun } from '../../../engine/window-grid.ts';

/** Room for the row indices left of the grids, and for the title and the column indices above each grid. */
const LEFT = 22;
const TITLE = 12;
const INDEX = 11;
/** Pixels for the grids' widest axis: the inspector's width less its padding. */
const WIDTH = 250;

/**
 * Where things sit along one axis, in cells from the axis's start: a drawn grid cell (the second run after the
 * one-cell gap), or null when the gap hides it.
 */
function cellOffset(g: AxisGrid, c: number): number | null {
  const [a, b] = g.runs;
  if (c >= a.from && c < a.to) return c - a.from;
  if (b && c >= b.from && c < b.to) return a.to - a.from + 1 + c - b.from;
  return null;
}

/** The runs of windows drawn: the first ones, and after the gap the last ones. */
function windowRuns(g: AxisGrid): CellRun[] {
  if (!g.hiddenWindows) return [{ from: 0, to: g.windowCount }];
  return [{ from: 0, to: g.hiddenWindows.from }, { from: g.hiddenWindows.to, to: g.windowCount }];
}

/** A window's (moving grid cell's) offset in cells: its place in the list, plus the gap after the first ones. */
function windowOffset(g: AxisGrid, o: number): number {
  const i = g.windows.indexOf(o);
  return i + (g.hiddenWindows && o >= g.hiddenWindows.to ? 1 : 0);
}

const extentOf = (runs: CellRun[]) => runs.reduce((n, r) => n + r.to - r.from, 0) + runs.length - 1;

/**
 * The indices written along an axis: each run's first and last cell inside the unpadded grid `[0, size)`, the last
 * left out where the two would overlap (`px` a digit's width at this cell size).
 */
function indexLabels(runs: CellRun[], size: number, cell: number, px = 5.5): number[] {
  const out: number[] = [];
  for (const r of runs) {
    const lo = Math.max(r.from, 0);
    const hi = Math.min(r.to, size) - 1;
    if (lo > hi) continue;
    out.push(lo);
    if (hi !== lo && (hi - lo) * cell >= (String(lo).length + String(hi).length) * px / 2 + 3) out.push(hi);
  }
  return out;
}

interface Props { e: WindowExplanation; hg: AxisGrid; wg: AxisGrid; oi: number; oj: number; done: (i: number, j: number) => boolean; gather: boolean }

/**
 * The windowed grid (above) and the moving grid (below), as SVG: padding grey, cells no window reaches shaded, the
 * current window's taps and box, the cells done. A large axis is drawn as its first and last cells with a one-cell
 * gap marked `…` (its hidden range in the gap's tooltip, the indices either side written on the axis).
 */
export function WindowGrids({ e, hg, wg, oi, oj, done, gather }: Props) {
  const [ha, wa] = e.axes;
  const rowRuns = windowRuns(hg);
  const colRuns = windowRuns(wg);
  const span = Math.max(extentOf(hg.runs), extentOf(wg.runs), extentOf(rowRuns), extentOf(colRuns));
  const cell = Math.max(8, Math.min(20, Math.floor((WIDTH - LEFT) / span)));
  const topY = TITLE + INDEX;
  const topH = extentOf(hg.runs) * cell;
  const botTitle = topY + topH + 6;
  const botY = botTitle + TITLE + INDEX;
  const botH = extentOf(rowRuns) * cell;
  const width = LEFT + Math.max(extentOf(wg.runs), extentOf(colRuns)) * cell + 2;
  const unreachedRows = new Set(ha.unreached);
  const unreachedCols = new Set(wa.unreached);
  const tapsR = new Set(windowTaps(ha, oi));
  const tapsC = new Set(windowTaps(wa, oj));
  const x = (off: number) => LEFT + off * cell;

  const cells: ReactNode[] = [];
  for (const rr of hg.runs) for (let r = rr.from; r < rr.to; r++) {
    for (const cr of wg.runs) for (let c = cr.from; c < cr.to; c++) {
      const pad = r < 0 || c < 0 || r >= hg.size || c >= wg.size;
      const tap = tapsR.has(r) && tapsC.has(c);
      const unreached = !pad && (unreachedRows.has(r) || unreachedCols.has(c));
      const cls = ['wx-cell', pad ? 'wx-pad' : '', unreached ? 'wx-unreached-cell' : '', tap ? 'wx-tap' : ''].filter(Boolean).join(' ');
      cells.push(<rect key={`${r},${c}`} className={cls} x={x(cellOffset(wg, c)!)} y={topY + cellOffset(hg, r)! * cell} width={cell} height={cell}
        data-testid={tap ? 'wx-tap' : unreached ? 'wx-unreached-cell' : pad ? 'wx-pad' : undefined} />);
    }
  }
  const out: ReactNode[] = [];
  for (const i of hg.windows) for (const j of wg.windows) {
    const cls = i === oi && j === oj ? 'wx-cell wx-current' : done(i, j) ? 'wx-cell wx-done' : 'wx-cell';
    out.push(<rect key={`${i},${j}`} className={cls} x={x(windowOffset(wg, j))} y={botY + windowOffset(hg, i) * cell} width={cell} height={cell} />);
  }
  const boxX = x(cellOffset(wg, windowStart(wa, oj))!);
  const boxY = topY + cellOffset(hg, windowStart(ha, oi))! * cell;
  const curX = x(windowOffset(wg, oj)) + cell / 2;
  const curY = botY + windowOffset(hg, oi) * cell;
  const [upper, lower] = gather ? ['input', 'output'] : ['output', 'input'];
  const [upperH, upperW, lowerH, lowerW] = gather ? [ha.input, wa.input, ha.output, wa.output] : [ha.output, wa.output, ha.input, wa.input];
  return (
    <svg width={width} height={botY + botH + 2} className="wx-svg" role="img"
      aria-label={`${upper} grid ${upperH}×${upperW} above, ${lower} grid below${hg.runs.length + wg.runs.length > 2 ? ': its first and last cells, the middle left out' : ''}`}>
      <text x={LEFT} y={10} className="wx-label">{`${upper} ${upperH}×${upperW}`}</text>
      <AxisIndices runs={hg.runs} size={hg.size} place={(c) => cellOffset(hg, c)} y0={topY} x0={LEFT} cell={cell} vertical />
      <AxisIndices runs={wg.runs} size={wg.size} place={(c) => cellOffset(wg, c)} y0={topY} x0={LEFT} cell={cell} />
      {cells}
      <Gaps hg={hg.runs} wg={wg.runs} y0={topY} cell={cell} what={upper} hiddenR={hiddenCells(hg)} hiddenC={hiddenCells(wg)} />
      <rect className="wx-window" x={boxX} y={boxY} width={wa.extent * cell} height={ha.extent * cell} />
      <text x={LEFT} y={botTitle + 10} className="wx-label">{`${lower} ${lowerH}×${lowerW}`}</text>
      <AxisIndices runs={rowRuns} size={hg.windowCount} place={(o) => windowOffset(hg, o)} y0={botY} x0={LEFT} cell={cell} vertical />
      <AxisIndices runs={colRuns} size={wg.windowCount} place={(o) => windowOffset(wg, o)} y0={botY} x0={LEFT} cell={cell} />
      {out}
      <Gaps hg={rowRuns} wg={colRuns} y0={botY} cell={cell} what={`${lower} (windows)`} hiddenR={hg.hiddenWindows} hiddenC={wg.hiddenWindows} />
      <line className="wx-link" x1={boxX + (wa.extent * cell) / 2} y1={boxY + ha.extent * cell} x2={curX} y2={curY} />
    </svg>
  );
}

interface IndicesProps { runs: CellRun[]; size: number; place: (c: number) => number | null; y0: number; x0: number; cell: number; vertical?: boolean }

/** The indices at each run's ends: above the grid for columns, left of it for rows. */
function AxisIndices({ runs, size, place, y0, x0, cell, vertical }: IndicesProps) {
  return (
    <>
      {indexLabels(runs, size, cell).map((c) => {
        const off = place(c)!;
        return vertical
          ? <text key={c} className="wx-index" x={x0 - 3} y={y0 + off * cell + cell / 2 + 3} textAnchor="end">{c}</text>
          : <text key={c} className="wx-index" x={x0 + off * cell + cell / 2} y={y0 - 3} textAnchor="middle">{c}</text>;
      })}
    </>
  );
}

interface GapsProps { hg: CellRun[]; wg: CellRun[]; y0: number; cell: number; what: string; hiddenR: CellRun | null; hiddenC: CellRun | null }

/** The gaps between the runs: `⋮` across a row gap, `⋯` down a column gap, each saying what it hides on hover. */
function Gaps({ hg, wg, y0, cell, what, hiddenR, hiddenC }: GapsProps) {
  const h = extentOf(hg) * cell;
  const w = extentOf(wg) * cell;
  const marks: ReactNode[] = [];
  if (hg.length === 2 && hiddenR) {
    const y = y0 + (hg[0].to - hg[0].from) * cell;
    marks.push(
      <g key="rows" className="wx-gap" data-testid="wx-gap-rows">
        <title>{`${what} rows ${runText(hiddenR)} left out`}</title>
        <rect x={LEFT} y={y} width={w} height={cell} className="wx-gap-band" />
        {wg.map((r, i) => <text key={i} x={LEFT + (wg[0].to - wg[0].from + 1) * cell * i + ((r.to - r.from) * cell) / 2} y={y + cell / 2 + 4} textAnchor="middle" className="wx-gap-mark">⋮</text>)}
      </g>,
    );
  }
  if (wg.length === 2 && hiddenC) {
    const x = LEFT + (wg[0].to - wg[0].from) * cell;
    marks.push(
      <g key="cols" className="wx-gap" data-testid="wx-gap-cols">
        <title>{`${what} columns ${runText(hiddenC)} left out`}</title>
        <rect x={x} y={y0} width={cell} height={h} className="wx-gap-band" />
        {hg.map((r, i) => <text key={i} x={x + cell / 2} y={y0 + (hg[0].to - hg[0].from + 1) * cell * i + ((r.to - r.from) * cell) / 2 + 3} textAnchor="middle" className="wx-gap-mark">⋯</text>)}
      </g>,
    );
  }
  return <>{marks}</>;
}
