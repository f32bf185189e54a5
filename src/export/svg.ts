/**
 * A simple layered SVG picture of a design for the command line: one box per node (name, kind and summary,
 * output shape, parameters), rows by depth (longest path from an input), edges as curves. Pure TypeScript;
 * the editor makes the full picture.
 */

import {
  analyze, formatCompact, formatShape, getLayerKind, inputsInPortOrder, validateParams,
  type Analysis, type Design,
} from '../core/index.ts';

const W = 230;
const H = 58;
const GAP_X = 30;
const GAP_Y = 46;
const PAD = 20;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const clip = (s: string, n = 34) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** @example writeFileSync('model.svg', toSvg(design)) */
export function toSvg(design: Design, analysis: Analysis = analyze(design)): string {
  const inputsOf = inputsInPortOrder(design);
  const byId = new Map(analysis.nodes.map((n) => [n.id, n]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle (an invalid design): draw it anyway
    visiting.add(id);
    const d = Math.max(-1, ...(inputsOf.get(id) ?? []).map((e) => depthOf(e.source))) + 1;
    depth.set(id, d);
    return d;
  };
  const rows: string[][] = [];
  for (const n of design.nodes) (rows[depthOf(n.id)] ??= []).push(n.id);
  const widest = Math.max(1, ...rows.map((r) => r?.length ?? 0));
  const width = PAD * 2 + widest * W + (widest - 1) * GAP_X;
  const pos = new Map<string, { x: number; y: number }>();
  rows.forEach((row, r) => {
    const rowWidth = row.length * W + (row.length - 1) * GAP_X;
    row.forEach((id, i) => pos.set(id, { x: (width - rowWidth) / 2 + i * (W + GAP_X), y: PAD + r * (H + GAP_Y) }));
  });
  const height = PAD * 2 + rows.length * H + Math.max(0, rows.length - 1) * GAP_Y;
  const errors = new Set(analysis.errors.map((e) => e.nodeId).filter(Boolean));

  const parts: string[] = [];
  for (const e of design.edges) {
    const a = pos.get(e.source);
    const b = pos.get(e.target);
    if (!a || !b) continue;
    const x1 = a.x + W / 2;
    const y1 = a.y + H;
    const x2 = b.x + W / 2;
    const y2 = b.y;
    const m = (y1 + y2) / 2;
    parts.push(`<path d="M${x1},${y1} C${x1},${m} ${x2},${m} ${x2},${y2}" fill="none" stroke="#8a94a6" stroke-width="1.5" marker-end="url(#arrow)"/>`);
  }
  for (const n of design.nodes) {
    const p = pos.get(n.id)!;
    const a = byId.get(n.id);
    const kind = getLayerKind(n.kind);
    let summary = n.kind;
    if (kind) {
      const v = validateParams(kind.params, n.params);
      if (v.params && v.issues.length === 0) summary = `${n.kind} · ${kind.summary(v.params as never)}`;
    }
    const bad = errors.has(n.id) || !a?.outputShape;
    const shape = a?.outputShape ? formatShape(a.outputShape) : '?';
    const params = a && a.params > 0 ? ` · ${formatCompact(a.params)} params` : '';
    parts.push(
      `<g><title>${esc(n.id)}</title>`
      + `<rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="6" fill="${bad ? '#fdecea' : '#ffffff'}" stroke="${bad ? '#d93025' : '#3b4a63'}"/>`
      + `<text x="${p.x + 10}" y="${p.y + 18}" font-size="13" font-weight="600">${esc(clip(n.name ?? n.id))}</text>`
      + `<text x="${p.x + 10}" y="${p.y + 34}" font-size="11" fill="#4a5568">${esc(clip(summary, 38))}</text>`
      + `<text x="${p.x + 10}" y="${p.y + 50}" font-size="11" fill="#1a56db">${esc(clip(`${shape}${params}`, 38))}</text></g>`,
    );
  }
  const t = analysis.totals;
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 24}" viewBox="0 0 ${width} ${height + 24}" font-family="system-ui, sans-serif">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#8a94a6"/></marker></defs>
<rect width="100%" height="100%" fill="#f7f8fa"/>
<text x="${PAD}" y="${height + 14}" font-size="12" fill="#4a5568">${esc(design.name)}: ${formatCompact(t.params)} params, ${formatCompact(t.macs)} MACs${analysis.valid ? '' : `, ${analysis.errors.length} error(s)`}</text>
${parts.join('\n')}
</svg>
`;
}
