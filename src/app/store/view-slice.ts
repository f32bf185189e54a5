/**
 * The view slice of the editor store: what the person looks at and points to, never saved and never undone.
 * The selection, the clipboard, the notice line, which statistic the bars show, the advice item previewed as
 * ghosts, and the counters the canvas and panels watch (`…Seq` bump to ask the canvas to reveal, follow or fit,
 * or a panel to come to the front).
 */

import { adviceAt, extractFragment, offsetFragment, type Design } from '../../engine/index.ts';
import { PASTE_STEP, pasteSpot } from '../../engine/layout/placement.ts';
import type { EditorState, Slice, StoreContext, StoreEvent, ViewActions, ViewState } from './state.ts';

function sameList(a: string[], b: string[]) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The selected ids that are layers of `design` (a step that removed some leaves the others selected). */
function alive(selection: string[], design: Design): string[] {
  const ids = new Set(design.nodes.map((n) => n.id));
  return selection.filter((id) => ids.has(id));
}

/**
 * What the view's fields become after `event` (the composer joins this into the emitting slice's `set`):
 * - another design opened: nothing selected, no preview, the canvas fits it (and waits for the auto-layout
 *   when it came without positions), the panels start afresh;
 * - an edit: what it made is selected (and followed, when asked), else the selection keeps the layers that
 *   still exist; an applied advice rewrite ends its preview; the auto-layout's positions are fitted;
 * - auto-layout positions without an undo step: fitted;
 * - undo and redo: the selection keeps the layers that still exist, and the preview ends (its rewrite was of the
 *   design before);
 * - advice arrived: the preview stays only while its item is still advised.
 */
export function viewAfter(event: StoreEvent, s: EditorState): Partial<ViewState> {
  const laidOut = { needsLayout: false, fitSeq: s.fitSeq + 1 };
  switch (event.type) {
    case 'open':
      return {
        selection: [], selectedEdges: [], preview: null, fieldDrafts: {},
        fitSeq: s.fitSeq + 1, loadSeq: s.loadSeq + 1, needsLayout: event.needsLayout,
      };
    case 'edit':
      return {
        ...(event.select ? { selection: event.select, selectedEdges: [] } : { selection: alive(s.selection, event.design) }),
        ...(event.select && event.follow ? { followIds: event.select, followSeq: s.followSeq + 1 } : {}),
        ...(event.applied ? { preview: null } : {}),
        ...(event.laidOut ? laidOut : {}),
      };
    case 'layout':
      return laidOut;
    case 'history':
      return { selection: alive(s.selection, event.design), preview: null };
    case 'advice': {
      const p = s.preview;
      const still = p && event.advice.some((a) => a.rule === p.rule && a.nodeId === p.nodeId);
      return { preview: still ? p : null };
    }
  }
}

/** The view slice: nothing selected, no notice, no bars; `needsLayout` when the first design came without positions. */
export function createViewSlice(ctx: StoreContext): Slice<ViewState & ViewActions> {
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
    fieldDrafts: {},

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

    paste() {
      const clip = get().clipboard;
      if (!clip || !clip.nodes.length) return;
      get().insertFragment(clip, { at: pasteSpot(get().design, clip) });
      // the next paste lands a step further on
      set({ clipboard: offsetFragment(clip, { x: PASTE_STEP, y: PASTE_STEP }) });
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

    setFieldDraft(key, text) {
      const drafts = get().fieldDrafts;
      if ((drafts[key] ?? null) === text) return;
      const next = { ...drafts };
      if (text === null) delete next[key];
      else next[key] = text;
      set({ fieldDrafts: next });
    },
  });
}
