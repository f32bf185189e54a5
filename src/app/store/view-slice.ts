/**
 * The view slice of the editor store: what the person looks at and points to, never saved and never undone.
 * The selection, the clipboard, the notice line, which statistic the bars show, the advice item previewed as
 * ghosts, and the counters the canvas and panels watch (`…Seq` bump to ask the canvas to reveal, follow or fit,
 * or a panel to come to the front).
 */

import type { StateCreator } from 'zustand/vanilla';
import { adviceAt, extractFragment, type AdviceDetail, type Fragment } from '../../engine/index.ts';
import type { Stat } from './derived.ts';
import type { EditorActions, EditorState, StoreContext } from './editor-store.ts';

export interface Notice {
  kind: 'error' | 'info';
  text: string;
  /** bumps on every notice so the same text shown twice still re-triggers */
  seq: number;
}

export interface ViewState {
  /** Selected node ids. */
  selection: string[];
  selectedEdges: string[];
  notice: Notice | null;
  /** which number the bars on the nodes show */
  stat: Stat;
  clipboard: Fragment | null;
  /** the node the canvas should scroll to; bumps `revealSeq` */
  revealId: string | null;
  revealSeq: number;
  /** what was just added (a click, a block, a paste, a quick fix): the canvas pans to it if it is out of view; bumps `followSeq` */
  followIds: string[];
  followSeq: number;
  /** bumped when another design is opened (find text, scroll positions and sorting start afresh) */
  loadSeq: number;
  /** bumped when the canvas should fit the whole design (new design loaded) */
  fitSeq: number;
  /** Whether the design came in without positions and waits for auto-layout. */
  needsLayout: boolean;
  /** the advice item whose rewrite the canvas shows as ghosts */
  preview: AdviceDetail | null;
  /** bumped when the Advice tab should come to the front */
  adviceTabSeq: number;
}

export interface ViewActions {
  select(ids: string[], edges?: string[]): void;
  selectAll(): void;
  /** Copies the selected layers (and the edges among them) to the clipboard. */
  copy(): void;
  notify(kind: Notice['kind'], text: string): void;
  clearNotice(): void;
  setStat(stat: Stat): void;
  /** Pans the canvas to `ids` when they are out of view (what was just added). */
  follow(ids: string[]): void;
  /** Selects a node and brings it into view. */
  reveal(id: string): void;
  /** Shows an advice item's rewrite as ghosts on the canvas (null hides it). */
  setPreview(item: AdviceDetail | null): void;
  /** Brings the Advice tab to the front. */
  showAdvice(): void;
}

function sameList(a: string[], b: string[]) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The view slice: nothing selected, no notice, no bars; `needsLayout` when the first design came without positions. */
export function createViewSlice(ctx: StoreContext): StateCreator<EditorState & EditorActions, [], [], ViewState & ViewActions> {
  return (set, get) => ({
    selection: [],
    selectedEdges: [],
    notice: null,
    stat: 'none',
    clipboard: null,
    revealId: null,
    revealSeq: 0,
    followIds: [],
    followSeq: 0,
    loadSeq: 0,
    fitSeq: 0,
    needsLayout: ctx.needsLayout,
    preview: null,
    adviceTabSeq: 0,

    select(ids, edges = []) {
      const s = get();
      if (sameList(s.selection, ids) && sameList(s.selectedEdges, edges)) return;
      set({ selection: ids, selectedEdges: edges });
    },

    selectAll() {
      set({ selection: get().design.nodes.map((n) => n.id), selectedEdges: [] });
    },

    copy() {
      const s = get();
      if (!s.selection.length) return;
      set({ clipboard: extractFragment(s.design, s.selection) });
    },

    notify(kind, text) {
      set({ notice: { kind, text, seq: (get().notice?.seq ?? 0) + 1 } });
    },

    clearNotice() {
      set({ notice: null });
    },

    setStat(stat) {
      set({ stat });
    },

    follow(ids) {
      set({ followIds: ids, followSeq: get().followSeq + 1 });
    },

    reveal(id) {
      if (!get().nodesById[id]) return;
      set({ selection: [id], selectedEdges: [], revealId: id, revealSeq: get().revealSeq + 1 });
    },

    setPreview(item) {
      const s = get();
      if (item === s.preview) return;
      // items from the worker come without their rewritten design: rebuild this one (one analysis)
      const full = item && !item.rewrite ? adviceAt(s.design, s.analysis, item.rule, item.nodeId) : item;
      set({ preview: full });
    },

    showAdvice() {
      set({ adviceTabSeq: get().adviceTabSeq + 1 });
    },
  });
}
