/**
 * The editor's store, composed of three slices (zustand's slice pattern), each readable alone and none
 * importing another (their types are in state.ts):
 * - design-slice.ts: the design (the only thing saved), its load issues and the undo/redo history; every edit
 *   is one of the engine's pure edits (src/engine/edits.ts, groups.ts), committed as one undo step;
 * - derived.ts: what is computed from the design (analysis per node, depths, the bars' maxima, advice, the
 *   comparison against a pinned baseline), recomputed in the same `set` as each edit;
 * - view-slice.ts: selection, clipboard, notices, the statistic shown, and the counters the canvas watches;
 * - weights-slice.ts: an imported model's trained weights, and which of them still fit the design.
 * Each slice writes only its own fields. When one changes what the others follow (an edit, an opened design,
 * arrived advice), it tells them through `StoreContext.after`, which this composer answers by joining each
 * slice's own answer (`derivedAfter`, `viewAfter`), so one action is still one `set`.
 * The store holds state and actions only: files, localStorage and the address live in src/app/io/. Made by a
 * factory so every page and test starts from a fresh store.
 */

import { createStore } from 'zustand/vanilla';
import { AnalysisCache, type AnalysisError, type Design } from '../../engine/index.ts';
import { asOpened, createDesignSlice } from './design-slice.ts';
import { createDerivedSlice, derivedAfter } from './derived.ts';
import { createViewSlice, viewAfter } from './view-slice.ts';
import { createWeightsSlice, weightsAfter } from './weights-slice.ts';
import type { Editor, EditorStore, StoreContext } from './state.ts';

export type { EditorActions, EditorState, EditorStore, Stat } from './state.ts';
export { statValue } from './derived.ts';

/**
 * What the composer hands every slice for a store holding `initial` (nodes without a position get a provisional
 * place until auto-layout runs): its `after` joins the derived and view slices' own answers to an event.
 */
export function storeContext(initial: Design, opts: { issues?: AnalysisError[] } = {}): StoreContext {
  const cache = new AnalysisCache();
  return {
    initial: asOpened(initial),
    issues: opts.issues ?? [],
    needsLayout: initial.nodes.some((n) => !n.position),
    cache,
    after: (event, s) => {
      const derived = derivedAfter(event, s, cache);
      const weights = weightsAfter(event, s, derived.nodeAnalysis);
      // what the weights slice says about an edit (a layer lost or got back its trained weights) is the notice
      const said = weights.said ? { notice: { kind: 'info' as const, text: weights.said, seq: (s.notice?.seq ?? 0) + 1 } } : {};
      return { ...derived, ...viewAfter(event, s), ...weights.fields, ...said };
    },
  };
}

/** The slices of the store by name, each made from the context and the whole store's `set` and `get`. */
export const EDITOR_SLICES = {
  design: createDesignSlice, derived: createDerivedSlice, view: createViewSlice, weights: () => createWeightsSlice(),
} as const;

/** A fresh store holding `initial` (see `storeContext`). */
export function createEditorStore(initial: Design, opts: { issues?: AnalysisError[] } = {}): EditorStore {
  const ctx = storeContext(initial, opts);
  return createStore<Editor>()((...a) => ({
    ...EDITOR_SLICES.design(ctx)(...a),
    ...EDITOR_SLICES.derived(ctx)(...a),
    ...EDITOR_SLICES.view(ctx)(...a),
    ...EDITOR_SLICES.weights()(...a),
  }));
}
