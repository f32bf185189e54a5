/**
 * The Layers table's columns: each cell's text (one function per column, which the row and the width both read)
 * and the widths that fit the longest text of each column, so a number is never cut. The layer name takes what
 * is left and gives way first (shortened to its numbered parts, `shortName`); when even the numbers do not fit the
 * panel, the table is wider than it and scrolls sideways.
 */

import { formatBytes, formatInt, formatShape, outputBytes, type NodeAnalysis } from '../../engine/index.ts';
import { fieldLargerThanInput } from '../../engine/field-note.ts';
import { rfSizeText } from './rf-text.ts';

export type SortKey = 'order' | 'name' | 'kind' | 'shape' | 'params' | 'macs' | 'rf' | 'bytes';
type ColumnKey = Exclude<SortKey, 'order'>;

export const COLUMNS: { key: ColumnKey; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Layer' },
  { key: 'kind', label: 'Kind' },
  { key: 'shape', label: 'Output shape' },
  { key: 'params', label: 'Params', numeric: true },
  { key: 'macs', label: 'MACs', numeric: true },
  { key: 'rf', label: 'RF', numeric: true },
  { key: 'bytes', label: 'Output size', numeric: true },
];

/** The text of a layer's cell in column `key` (`?` where the layer cannot be computed yet). */
export function cellText(r: NodeAnalysis, key: Exclude<ColumnKey, 'name'>, batch: number): string {
  switch (key) {
    case 'kind': return r.kind;
    case 'shape': return formatShape(r.outputShape);
    case 'params': return r.outputShape ? formatInt(r.params) : '?';
    case 'macs': return r.outputShape ? formatInt(r.macs) : '?';
    case 'rf': return rfSizeText(r);
    case 'bytes': return r.outputShape ? formatBytes(outputBytes(r, batch)) : '?';
  }
}

/** What the RF cell adds after a field larger than the input (`fieldLargerThanInput`): counted in the column's width. */
export const RF_LARGER_SUFFIX = ' (> input)';

/** The fonts the table's cells are drawn in (app.css `.summary-table`): numbers in monospace. */
export const TABLE_TEXT_FONT = "12px Inter, ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const NUMBER_FONT = "12px ui-monospace, 'SF Mono', Menlo, monospace";
const HEAD_FONT = `600 ${TABLE_TEXT_FONT}`;
const DELTA_FONT = "11px ui-monospace, 'SF Mono', Menlo, monospace";
/** a cell's padding left and right (10 px each), plus a little so a measured width never rounds short */
const CELL_PAD = 24;
/** the swatch before a name, and the least room a name keeps */
const SWATCH = 14;
const NAME_MIN = 150;

let context: CanvasRenderingContext2D | null | undefined;
/** The width of `text` in `font`, in CSS pixels (a canvas measures it; 7 px a character where none can). */
export function textWidth(text: string, font: string): number {
  if (context === undefined) context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!context) return text.length * 7;
  context.font = font;
  return context.measureText(text).width;
}

function widest(texts: Iterable<string>, font: string): number {
  let w = 0;
  for (const t of new Set(texts)) w = Math.max(w, textWidth(t, font));
  return Math.ceil(w);
}

export interface ColumnWidths {
  /** px per column other than the name, and the Δ column's when shown */
  px: Record<Exclude<ColumnKey, 'name'> | 'delta', number>;
  /** the columns' widths but the name's, summed */
  fixed: number;
  /** the least width the table takes: every number whole, and the name's least room */
  tableMin: number;
}

/** Widths that fit each column's longest text, its header (with the sort arrow) included. */
export function columnWidths(rows: readonly NodeAnalysis[], batch: number, deltas: readonly string[] | null): ColumnWidths {
  const px = {} as ColumnWidths['px'];
  let sum = 0;
  for (const c of COLUMNS) {
    if (c.key === 'name') continue;
    const key = c.key;
    const text = (r: NodeAnalysis) => cellText(r, key, batch) + (key === 'rf' && fieldLargerThanInput(r, rows) ? RF_LARGER_SUFFIX : '');
    const cells = widest(rows.map(text), c.numeric ? NUMBER_FONT : TABLE_TEXT_FONT);
    px[key] = Math.max(cells, textWidth(`${c.label} ▾`, HEAD_FONT)) + CELL_PAD;
    sum += px[key];
  }
  px.delta = deltas ? Math.max(widest(deltas, DELTA_FONT), textWidth('Δ vs baseline', DELTA_FONT)) + CELL_PAD : 0;
  sum += px.delta;
  return { px, fixed: Math.ceil(sum), tableMin: Math.ceil(sum + NAME_MIN) };
}

/**
 * The pixels a name has beside the other columns in a table `tableWidth` px wide (its padding and swatch taken
 * off); the name keeps at least its least room, the table then scrolling sideways. The row fits the name in it
 * with `fitName` in `TABLE_TEXT_FONT`, measured, so the cell never cuts the end that tells rows apart.
 */
export function nameRoom(tableWidth: number, widths: ColumnWidths): number {
  return Math.max(tableWidth - widths.fixed, NAME_MIN) - CELL_PAD - SWATCH;
}
