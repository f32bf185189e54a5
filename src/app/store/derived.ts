/**
 * The derived slice of the editor store: everything computed from the design, never edited by hand. The
 * analysis (kept per node id, so a node component selects just its entry and React Flow node objects never carry
 * derived numbers), the index of nodes by id, each node's depth, the largest value of each statistic, the advice
 * and the comparison against a pinned baseline (with the batch size its memory figures use). `deriveFrom` is
 * the one place a design's derived data is computed; `derivedAfter` gives it for each change of the design, and
 * the composer (editor-store.ts) joins it into the design slice's `set` of that change, so the design and its
 * numbers never disagree. This slice writes only its own fields.
 */

import {
  adviseDetailed, analyze, isBatchSize, nodeDepths, outputNodes,
  type AnalysisCache, type AnalysisError, type Design, type DesignNode, type NodeAnalysis,
} from '../../engine/index.ts';
import { compare, type Comparison } from './compare.ts';
import type { Baseline, DerivedActions, DerivedState, EditorState, Slice, Stat, StoreContext, StoreEvent } from './state.ts';

/** The value a node's bar shows for a statistic derived from the design (`time` is measured: 0 here). */
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

/** Longest-path depth of every node from the inputs (the engine's iterative walk: any chain length), keyed by id. */
function depths(design: Design): Record<string, number> {
  const depth: Record<string, number> = Object.create(null);
  for (const [id, d] of nodeDepths(design)) depth[id] = d;
  return depth;
}

/** The design against the pinned baseline, or null when nothing is pinned. */
function recompare(s: Pick<EditorState, 'design' | 'analysis'>, baseline: Baseline | null, batch: number): Comparison | null {
  return baseline ? compare(baseline.design, baseline.analysis, s.design, s.analysis, batch) : null;
}

/** What `deriveFrom` reads of the previous state, to keep unchanged objects (no re-render) and the pinned baseline. */
type PreviousDerived = Partial<Pick<DerivedState, 'nodeAnalysis' | 'statMax' | 'baseline' | 'batch'>>;

/**
 * Everything derived from a design, computed once per change: the analysis (through `cache`, with the load
 * `issues`), per-node entries (the previous object kept when it did not change), the node index, depths, the
 * statistics' maxima and the comparison against the baseline.
 */
function deriveFrom(design: Design, issues: AnalysisError[], cache: AnalysisCache, prev: PreviousDerived = {}) {
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
  // node id → its place among the model's outputs (docs/design-format.md#outputs), for the mark on the node
  const outputPlace: Record<string, number> = Object.create(null);
  outputNodes(design).forEach((n, k) => (outputPlace[n.id] = k));
  return { analysis, nodeAnalysis, nodesById: indexNodes(design), depth: depths(design), statMax: sameMax ? old : statMax, comparison, outputPlace };
}

/**
 * What the derived fields become after `event` (the composer joins this into the emitting slice's `set`):
 * recomputed from the design after every change of it, kept against the pinned baseline; after another
 * design is opened, also no baseline and no advice (the closed design's advice names its layers: none of it
 * holds for the new one, which the worker advises anew). Advice arriving changes nothing here.
 */
export function derivedAfter(event: StoreEvent, s: DerivedState, cache: AnalysisCache): Partial<DerivedState> {
  if (event.type === 'advice') return {};
  if (event.type === 'open') {
    return {
      ...deriveFrom(event.design, event.issues, cache, { nodeAnalysis: s.nodeAnalysis, statMax: s.statMax }),
      baseline: null,
      comparison: null,
      advice: [],
      adviceFor: null,
      adviceMarks: Object.create(null),
    };
  }
  return deriveFrom(event.design, event.issues, cache, s);
}

/** The derived slice: the initial design's derived data, and the actions on the baseline, batch and advice. */
export function createDerivedSlice(ctx: StoreContext): Slice<DerivedState & DerivedActions> {
  return (set, get) => ({
    ...deriveFrom(ctx.initial, ctx.issues, ctx.cache),
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
      set({ advice, adviceFor: design, adviceMarks, ...ctx.after({ type: 'advice', design, advice }, s) });
    },
  });
}
