/**
 * The editor's store, composed of three slices (zustand's slice pattern), each readable alone:
 * - design-slice.ts: the design (the only thing saved), its load issues and the undo/redo history; every edit
 *   is one of the engine's pure edits (src/engine/edits.ts), committed as one undo step;
 * - derived.ts: what is computed from the design (analysis per node, depths, the bars' maxima, advice, the
 *   comparison against a pinned baseline), recomputed in the same `set` as each edit;
 * - view-slice.ts: selection, clipboard, notices, the statistic shown, and the counters the canvas watches.
 * The store holds state and actions only: files, localStorage and the address live in src/io/. Made by a
 * factory so every page and test starts from a fresh store.
 */

import { createStore, type StoreApi } from 'zustand/vanilla';
import { AnalysisCache, withEdgeIds, type AnalysisError, type Design } from '../../engine/index.ts';
import { createDesignSlice, placeUnpositioned, type DesignActions, type DesignState } from './design-slice.ts';
import { createDerivedSlice, type DerivedActions, type DerivedState } from './derived.ts';
import { createViewSlice, type ViewActions, type ViewState } from './view-slice.ts';

export type { Stat } from './derived.ts';
export { statValue } from './derived.ts';

export type EditorState = DesignState & DerivedState & ViewState;
export type EditorActions = DesignActions & DerivedActions & ViewActions;
export type EditorStore = StoreApi<EditorState & EditorActions>;

/** What the slices share: the first design (placed, edges with ids), its load issues, and one analysis cache. */
export interface StoreContext {
  initial: Design;
  issues: AnalysisError[];
  needsLayout: boolean;
  cache: AnalysisCache;
}

/** A fresh store holding `initial` (nodes without a position get a provisional place until auto-layout runs). */
export function createEditorStore(initial: Design, opts: { issues?: AnalysisError[] } = {}): EditorStore {
  const ctx: StoreContext = {
    initial: withEdgeIds(placeUnpositioned(initial)),
    issues: opts.issues ?? [],
    needsLayout: initial.nodes.some((n) => !n.position),
    cache: new AnalysisCache(),
  };
  return createStore<EditorState & EditorActions>()((...a) => ({
    ...createDesignSlice(ctx)(...a),
    ...createDerivedSlice(ctx)(...a),
    ...createViewSlice(ctx)(...a),
  }));
}
