/**
 * A picture of a whole design as SVG, for slides and papers: one box per layer (name, settings, output shape,
 * parameters, receptive field), every edge labelled with the tensor shape it carries, skip edges into an `add`
 * dashed and bent aside, and each group framed with its totals; a layer's left edge carries its category's colour
 * (src/kinds/categories.ts, the table the editor's stylesheet reads), as on the canvas. Nodes stand where the editor put them; a design
 * without positions is laid out in rows by depth. Pure TypeScript: the command line writes it as it is, the
 * editor and `--to png` rasterize it.
 */

import {
  analyze, escapeControl, formatCompact, formatInt, formatShape, formatStridePair, getLayerKind, nodeDepths,
  formatError, type Analysis, type AnalysisError, type Design, type Position,
} from '../../engine/index.ts';
import { nodeSummary } from '../../engine/node-summary.ts';
// the editor's node size, so a picture of a laid-out design keeps its spacing
import { NODE_HEIGHT as H, NODE_WIDTH as W } from '../../engine/layout/node-size.ts';
import { CATEGORIES } from '../../kinds/categories.ts';

const GAP_X = 40;
const GAP_Y = 56;
const PAD = 24;
/** room on the right for skip edges bent aside */
const SKIP_ROOM = 140;
const FRAME_PAD = 12;
const FRAME_HEAD = 20;
const FOOTER = 28;

// Names are free text: control characters (not allowed in XML 1.0) are shown escaped, then the XML specials.
const esc = (s: string) => escapeControl(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Characters of a node's second line (10.5 px text in a node box). */
const SUMMARY_CHARS = 33;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const num = (v: number) => Math.round(v * 10) / 10;

function layeredPositions(design: Design, depth: Map<string, number>): Map<string, Position> {
  const rows: string[][] = [];
  for (const n of design.nodes) (rows[depth.get(n.id) ?? 0] ??= []).push(n.id);
  let widest = 1; // a loop, not Math.max(...rows): spreading a very long list overflows the stack
  for (const r of rows) if (r && r.length > widest) widest = r.length;
  const width = widest * W + (widest - 1) * GAP_X;
  const pos = new Map<string, Position>();
  rows.forEach((row, r) => {
    const rowWidth = row.length * W + (row.length - 1) * GAP_X;
    row.forEach((id, i) => pos.set(id, { x: (width - rowWidth) / 2 + i * (W + GAP_X), y: r * (H + GAP_Y) }));
  });
  return pos;
}

/** @example writeFileSync('model.svg', toSvg(design)) */
export function toSvg(design: Design, analysis: Analysis = analyze(design)): string {
  const depth = nodeDepths(design);
  // where the editor put the nodes; a design without positions in rows by depth
  const raw = design.nodes.every((n) => n.position)
    ? new Map(design.nodes.map((n) => [n.id, n.position ?? { x: 0, y: 0 }]))
    : layeredPositions(design, depth);

  // shift everything so the picture starts at the padding (frames and their headers included)
  const hasGroups = (design.groups ?? []).length > 0;
  const top = hasGroups ? FRAME_PAD + FRAME_HEAD : 0;
  const left = hasGroups ? FRAME_PAD : 0;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const p of raw.values()) {
    x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + W); y1 = Math.max(y1, p.y + H);
  }
  if (!raw.size) x0 = y0 = x1 = y1 = 0;
  const dx = PAD + left - x0;
  const dy = PAD + top - y0;
  const pos = new Map([...raw].map(([id, p]) => [id, { x: p.x + dx, y: p.y + dy }]));
  const width = Math.ceil(x1 - x0 + 2 * PAD + 2 * left + SKIP_ROOM);
  const height = Math.ceil(y1 - y0 + 2 * PAD + top + (hasGroups ? FRAME_PAD : 0) + FOOTER);

  const byId = new Map(analysis.nodes.map((n) => [n.id, n]));
  const nodesById = new Map(design.nodes.map((n) => [n.id, n]));
  // each node's first error: its message on the box (which names the node already), formatted with the
  // node's label in the tooltip
  const errors = new Map<string, AnalysisError>();
  for (const e of analysis.errors) if (e.nodeId && !errors.has(e.nodeId)) errors.set(e.nodeId, e);

  const frames: string[] = [];
  for (const g of design.groups ?? []) {
    const members = design.nodes.filter((n) => n.group === g.id).map((n) => pos.get(n.id)!);
    if (!members.length) continue;
    let mx0 = Infinity, my0 = Infinity, mx1 = -Infinity, my1 = -Infinity;
    for (const p of members) {
      mx0 = Math.min(mx0, p.x); my0 = Math.min(my0, p.y);
      mx1 = Math.max(mx1, p.x + W); my1 = Math.max(my1, p.y + H);
    }
    const fx = mx0 - FRAME_PAD;
    const fy = my0 - FRAME_PAD - FRAME_HEAD;
    const fw = mx1 - fx + FRAME_PAD;
    const fh = my1 - fy + FRAME_PAD;
    const totals = analysis.groups.find((x) => x.id === g.id);
    const label = `${g.label ?? g.id}${totals ? ` · ${formatInt(totals.params)} params · ${formatCompact(totals.macs)} MACs` : ''}`;
    frames.push(
      `<g class="group"><rect x="${num(fx)}" y="${num(fy)}" width="${num(fw)}" height="${num(fh)}" rx="10" fill="#eef2fb" fill-opacity="0.6" stroke="#9aa9c9" stroke-dasharray="5 3"/>`
      + `<text x="${num(fx + 8)}" y="${num(fy + 14)}" font-size="11" font-weight="600" fill="#3b4a63">${esc(clip(label, Math.max(12, Math.floor(fw / 6.2))))}</text></g>`,
    );
  }

  const edges: string[] = [];
  const labels: string[] = [];
  for (const e of design.edges) {
    const a = pos.get(e.source);
    const b = pos.get(e.target);
    if (!a || !b) continue;
    const sx = a.x + W / 2, sy = a.y + H;
    const tx = b.x + W / 2, ty = b.y;
    const target = nodesById.get(e.target);
    // a skip edge into a merge that sums (a residual join): drawn dashed, as the editor draws it
    const skip = !!target && getLayerKind(target.kind)?.merge === 'sum' && (depth.get(e.target) ?? 0) - (depth.get(e.source) ?? 0) > 1;
    let d: string, lx: number, ly: number;
    if (skip) {
      // the editor's skip edge: out to the right of both ends and back
      const side = Math.max(sx, tx) + 130;
      const c1 = sy + Math.min(90, (ty - sy) / 3);
      const c2 = ty - Math.min(90, (ty - sy) / 3);
      d = `M${num(sx)},${num(sy)} C${num(side)},${num(c1)} ${num(side)},${num(c2)} ${num(tx)},${num(ty)}`;
      lx = (sx + 6 * side + tx) / 8;
      ly = (sy + 3 * c1 + 3 * c2 + ty) / 8;
    } else {
      const m = (sy + ty) / 2;
      d = `M${num(sx)},${num(sy)} C${num(sx)},${num(m)} ${num(tx)},${num(m)} ${num(tx)},${num(ty)}`;
      lx = (sx + tx) / 2;
      ly = m;
    }
    edges.push(`<path d="${d}" fill="none" stroke="#8a94a6" stroke-width="1.5"${skip ? ' stroke-dasharray="6 4"' : ''} marker-end="url(#arrow)"/>`);
    const shape = formatShape(byId.get(e.source)?.outputShape ?? null);
    const lw = shape.length * 6.2 + 10;
    labels.push(
      `<g class="edge-label"><rect x="${num(lx - lw / 2)}" y="${num(ly - 8)}" width="${num(lw)}" height="16" rx="4" fill="#ffffff" stroke="#d5dae3"/>`
      + `<text x="${num(lx)}" y="${num(ly + 4)}" font-size="10.5" text-anchor="middle" fill="#1a56db">${esc(shape)}</text></g>`,
    );
  }

  const boxes: string[] = [];
  for (const [index, n] of design.nodes.entries()) {
    const p = pos.get(n.id)!;
    const a = byId.get(n.id);
    const kind = getLayerKind(n.kind);
    // the kind's title first where the line has room for both; a layer whose params do not validate says its kind
    // (its third line gives the error)
    const summary = nodeSummary(n, { room: SUMMARY_CHARS, fallback: 'kind' });
    const error = errors.get(n.id);
    const bad = error !== undefined || !a?.outputShape;
    const shape = a?.outputShape ? formatShape(a.outputShape) : '?';
    const params = a?.outputShape ? `${formatInt(a.params)} params` : '? params';
    const rf = a?.receptiveField ? `RF ${a.receptiveField.size.join('×')} /${formatStridePair(a.receptiveField.stride)}${a.receptiveField.global ? ' + global' : ''}` : '';
    const line3 = bad && error ? error.message : `${shape} · ${params}`;
    const box = `x="${num(p.x)}" y="${num(p.y)}" width="${W}" height="${H}" rx="7"`;
    // the category's colour down the left edge (the canvas's 4 px border), cut to the box's rounded corners; a
    // layer in error is drawn all in red instead, as on the canvas
    const stripe = kind && !bad
      ? `<clipPath id="box${index}"><rect ${box}/></clipPath>`
        + `<rect x="${num(p.x)}" y="${num(p.y)}" width="4" height="${H}" fill="${CATEGORIES[kind.category].colour}" clip-path="url(#box${index})"/>`
      : '';
    boxes.push(
      `<g class="node"><title>${esc(error ? formatError(error, design) : n.id)}</title>`
      + `<rect ${box} fill="${bad ? '#fdecea' : '#ffffff'}"/>${stripe}`
      + `<rect ${box} fill="none" stroke="${bad ? '#d93025' : '#3b4a63'}" stroke-width="1.2"/>`
      + `<text x="${num(p.x + 10)}" y="${num(p.y + 17)}" font-size="12.5" font-weight="600" fill="#111827">${esc(clip(n.name ?? n.id, 28))}</text>`
      + `<text x="${num(p.x + 10)}" y="${num(p.y + 33)}" font-size="10.5" fill="#4a5568">${esc(clip(summary, SUMMARY_CHARS))}</text>`
      + `<text x="${num(p.x + 10)}" y="${num(p.y + 49)}" font-size="10.5" fill="${bad ? '#b3261e' : '#1f2937'}">${esc(clip(line3, 33))}</text>`
      + (rf && !bad ? `<text x="${num(p.x + 10)}" y="${num(p.y + 64)}" font-size="10.5" fill="#6b7280">${esc(rf)}</text>` : '')
      + '</g>',
    );
  }

  const t = analysis.totals;
  const footer = `${design.name}: ${formatInt(t.params)} params (${formatInt(t.trainableParams)} trainable), ${formatCompact(t.macs)} MACs`
    + (analysis.valid ? '' : `, ${analysis.errors.length} error(s)`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#8a94a6"/></marker></defs>
<rect width="100%" height="100%" fill="#f7f8fa"/>
${frames.join('\n')}
${edges.join('\n')}
${boxes.join('\n')}
${labels.join('\n')}
<text x="${PAD}" y="${height - 10}" font-size="12" fill="#4a5568">${esc(footer)}</text>
</svg>
`;
}
