/**
 * The derived slice of the editor store: everything computed from the design, never edited by hand. The
 * analysis (kept per node id, so a node component selects just its entry and React Flow node objects never carry
 * derived numbers), the index of nodes by id, each node's depth, the largest value of each statistic, the advice
 * and the comparison against a pinned baseline (with the batch size its memory figures use). `deriveFrom` is
 * the one place a design's derived data is computed; the design slice calls it in the same `set` as each edit,
 * so the design and its numbers never disagree.
 */

import type { StateCreator } from 'zustand/vanilla';
import {
  adviseDetailed, analyze, isBatchSize, nodeDepths,
  type AdviceDetail, type Analysis, type AnalysisCache, type AnalysisError, type Design, type DesignNode, type NodeAnalysis,
} from '../../engine/index.ts';
import { compare, type Comparison } from './compare.ts';
import type { EditorState, EditorActions, StoreContext } from './editor-store.ts';

export type Stat = 'none' | 'params' | 'macs' | 'activations';

export interface Baseline {
  design: Design;
  analysis: Analysis;
  /** what the comparison calls it, e.g. "pinned design" or "two 3×3 twin" */
  label: string;
}

export interface DerivedState {
  nodesById: Record<string, DesignNode>;
  analysis: Analysis;
  nodeAnalysis: Record<string, NodeAnalysis>;
  /** longest-path depth of every node from the inputs: an edge that skips more than one level is drawn aside */
  depth: Record<string, number>;
  /** the largest value of each statistic over the design (bars are drawn relative to it) */
  statMax: Record<Exclude<Stat, 'none'>, number>;
  /** images per batch for the memory figures (docs/advice.md#memory) */
  batch: number;
  /** the design pinned to compare against, with its analysis; null when nothing is pinned */
  baseline: Baseline | null;
  /** the current design against the baseline (null when nothing is pinned) */
  comparison: Comparison | null;
  /** the advice for `adviceFor` (computed after edits settle: each item costs one analysis) */
  advice: AdviceDetail[];
  adviceFor: Design | null;
  /** node id → how many advice items name it (the mark on the canvas) */
  adviceMarks: Record<string, number>;
}

export interface DerivedActions {
  /** Sets the batch size of the memory figures; false (and nothing changes) for one that is not a positive whole number. */
  setBatch(batch: number): boolean;
  /** Pins a design as the baseline (the current one by default); not an edit, so not undoable. */
  pinBaseline(design?: Design, label?: string): void;
  unpinBaseline(): void;
  /** Computes the advice for the current design now, on this thread (the editor uses a worker and `setAdvice`). */
  refreshAdvice(): AdviceDetail[];
  /** Takes advice computed elsewhere for `design`; ignored when the design has changed since. */
  setAdvice(design: Design, advice: AdviceDetail[]): void;
}

/** The value a node's bar shows for a statistic. */
export function statValue(a: NodeAnalysis | undefined, stat: Stat): number {
  if (!a || !a.outputShape) return 0;
  if (stat === 'params') return a.params;
  if (stat === 'macs') return a.macs;
  if (stat === 'activations') return a.outputShape.reduce((x, y) => x * y, 1);
  return 0;
}

function indexNodes(design: Design): Record<string, DesignNode> {
  const out: Record<string, DesignNode> = Object.create(null); // keyed by id: `__proto__` is a plain key
  for (const n of design.nodes) out[n.id] = n;
  return out;
}

/** Longest-path depth of every node from the inputs (core's iterative walk: any chain length), keyed by id. */
export function depths(design: Design): Record<string, number> {
  const depth: Record<string, number> = Object.create(null);
  for (const [id, d] of nodeDepths(design)) depth[id] = d;
  return depth;
}

/** The design against the pinned baseline, or null when nothing is pinned. */
function recompare(s: Pick<EditorState, 'design' | 'analysis'>, baseline: Baseline | null, batch: number): Comparison | null {
  return baseline ? compare(baseline.design, baseline.analysis, s.design, s.analysis, batch) : null;
}

/** What `deriveFrom` reads of the previous state, to keep unchanged objects (no re-render) and the pinned baseline. */
export type PreviousDerived = Partial<Pick<EditorState, 'nodeAnalysis' | 'statMax' | 'baseline' | 'batch'>>;

/**
 * Everything derived from a design, computed once per change: the analysis (through `cache`, with the load
 * `issues`), per-node entries (the previous object kept when it did not change), the node index, depths, the
 * statistics' maxima and the comparison against the baseline. Returns `design` with them, ready for one `set`.
 */
export function deriveFrom(design: Design, issues: AnalysisError[], cache: AnalysisCache, prev: PreviousDerived = {}) {
  const analysis = analyze(design, { cache, issues });
  const nodeAnalysis: Record<string, NodeAnalysis> = Object.create(null);
  for (const r of analysis.nodes) {
    const old = prev.nodeAnalysis && Object.hasOwn(prev.nodeAnalysis, r.id) ? prev.nodeAnalysis[r.id] : undefined;
    // keep the old object when nothing moved, so that node components do not re-render
    nodeAnalysis[r.id] = old && old === r ? old : r;
  }
  const statMax = { params: 0, macs: 0, activations: 0 };
  for (const r of analysis.nodes) {
    statMax.params = Math.max(statMax.params, statValue(r, 'params'));
    statMax.macs = Math.max(statMax.macs, statValue(r, 'macs'));
    statMax.activations = Math.max(statMax.activations, statValue(r, 'activations'));
  }
  const old = prev.statMax;
  const sameMax = old && old.params === statMax.params && old.macs === statMax.macs && old.activations === statMax.activations;
  const comparison = recompare({ design, analysis }, prev.baseline ?? null, prev.batch ?? 1);
  return { design, analysis, nodeAnalysis, nodesById: indexNodes(design), depth: depths(design), statMax: sameMax ? old : statMax, comparison };
}

/** The derived slice: the initial design's derived data, and the actions on the baseline, batch and advice. */
export function createDerivedSlice(ctx: StoreContext): StateCreator<EditorState & EditorActions, [], [], DerivedState & DerivedActions> {
  const { design: _design, ...initial } = deriveFrom(ctx.initial, ctx.issues, ctx.cache);
  return (set, get) => ({
    ...initial,
    batch: 1,
    baseline: null,
    advice: [],
    adviceFor: null,
    adviceMarks: Object.create(null),

    setBatch(batch) {
      if (!isBatchSize(batch)) return false;
      if (batch !== get().batch) set({ batch, comparison: recompare(get(), get().baseline, batch) });
      return true;
    },

    pinBaseline(design, label) {
      const d = design ?? get().design;
      const baseline = { design: d, analysis: design ? analyze(d) : get().analysis, label: label ?? 'pinned design' };
      set({ baseline, comparison: recompare(get(), baseline, get().batch) });
    },

    unpinBaseline() {
      set({ baseline: null, comparison: null });
    },

    refreshAdvice() {
      const s = get();
      if (s.adviceFor === s.design) return s.advice;
      const advice = adviseDetailed(s.design, s.analysis);
      get().setAdvice(s.design, advice);
      return advice;
    },

    setAdvice(design, advice) {
      const s = get();
      if (design !== s.design) return;
      const adviceMarks: Record<string, number> = Object.create(null); // keyed by id: `__proto__` is a plain key
      for (const a of advice) adviceMarks[a.nodeId] = (adviceMarks[a.nodeId] ?? 0) + 1;
      const still = s.preview && advice.some((a) => a.rule === s.preview!.rule && a.nodeId === s.preview!.nodeId);
      set({ advice, adviceFor: design, adviceMarks, preview: still ? s.preview : null });
    },
  });
}
