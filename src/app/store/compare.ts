/**
 * The comparison with a pinned baseline, as the editor shows it: per layer its change (added, changed, or
 * removed, from the engine's `diffDesigns`) with Δ params, Δ MACs, Δ receptive field and Δ output bytes, and
 * the change of the totals and memory figures.
 */

import {
  diffDesigns, formatCompact, formatRfSize, formatSignedBytes, formatSignedInt, memoryTotals, outputBytes,
  type Analysis, type Design, type MemoryTotals, type Totals,
} from '../../engine/index.ts';


export interface LayerDelta {
  id: string;
  change: 'added' | 'removed' | 'changed';
  params: number;
  macs: number;
  /** "5×5 → 3×3", or '' when the receptive field did not change */
  rf: string;
  /** Δ output bytes at the batch size */
  bytes: number;
  /** the display name (from the design that has the layer) */
  name: string;
}

export interface Comparison {
  layers: Map<string, LayerDelta>;
  removed: LayerDelta[];
  totals: Totals;
  memory: MemoryTotals;
}

/** `+1,234`, `−28,608`, `0` (the contract's `formatSignedInt`). */
export const signedInt = formatSignedInt;
/** `+1.61 MB`, `−512 B` (the contract's `formatSignedBytes`). */
export const signedBytes = formatSignedBytes;


/**
 * Compares the current design with the baseline.
 * @example compare(base, baseA, d, a, 1).layers.get('conv5x5')?.params // → 28608 against its two-3×3 twin
 */
export function compare(base: Design, baseAnalysis: Analysis, design: Design, analysis: Analysis, batch: number): Comparison {
  const diff = diffDesigns(base, baseAnalysis, design, analysis);
  const before = new Map(baseAnalysis.nodes.map((n) => [n.id, n]));
  const after = new Map(analysis.nodes.map((n) => [n.id, n]));
  const layers = new Map<string, LayerDelta>();
  const removed: LayerDelta[] = [];
  for (const d of diff.nodes) {
    const b = before.get(d.id);
    const a = after.get(d.id);
    const rfB = formatRfSize(b);
    const rfA = formatRfSize(a);
    const entry: LayerDelta = {
      id: d.id, change: d.change, params: d.params, macs: d.macs,
      rf: d.change === 'changed' && rfA !== rfB ? `${rfB} → ${rfA}` : '',
      bytes: (a ? outputBytes(a, batch) : 0) - (b ? outputBytes(b, batch) : 0),
      name: (a ?? b)?.name ?? d.id,
    };
    if (d.change === 'removed') removed.push(entry);
    else layers.set(d.id, entry);
  }
  const mb = memoryTotals(baseAnalysis, batch);
  const ma = memoryTotals(analysis, batch);
  const memory = { ...ma };
  for (const k of Object.keys(ma) as (keyof MemoryTotals)[]) if (k !== 'batch') memory[k] = ma[k] - mb[k];
  return { layers, removed, totals: diff.totals, memory };
}

/**
 * One short line for a layer's change: "+28,608 params · +89.92 M MACs · RF 3×3 → 5×5 · +1.61 MB", led by
 * "added: " or "removed: " for those (a changed layer's row is marked by its colour).
 */
export function deltaText(d: LayerDelta): string {
  const macs = Math.abs(d.macs) >= 1e6 ? `${d.macs < 0 ? '−' : '+'}${formatCompact(Math.abs(d.macs))}` : signedInt(d.macs);
  const parts = [`${signedInt(d.params)} params`, `${macs} MACs`];
  if (d.rf) parts.push(`RF ${d.rf}`);
  if (d.bytes !== 0) parts.push(`${signedBytes(d.bytes)}`);
  return `${d.change === 'changed' ? '' : `${d.change}: `}${parts.join(' · ')}`;
}
