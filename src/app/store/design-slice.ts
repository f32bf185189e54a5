/**
 * The design slice of the editor store: the design (the only thing saved), the issues its loading found, and
 * the undo/redo history. Every action here is one undoable step built from the engine's pure edits (`addNode`,
 * `connectNodes`, `pasteFragment`, `replaceParams`…, src/engine/edits.ts and groups.ts): the store only commits
 * the result. What the other slices make of it (the derived data, the selection moved to what the edit made)
 * they say themselves (`derivedAfter`, `viewAfter`), and the composer joins it into the same `set`.
 */

import {
  addNode, adviceAt, connectNodes, extractFragment, moveNodes, pasteFragment, removeNodes, renameNode, replaceParams, withEdgeIds,
  type Design,
} from '../../engine/index.ts';
import { exactGroup, groupNodes, ungroup } from '../../engine/groups.ts';
import { makeRoom, pasteSpot, placeUnpositioned } from '../../engine/layout/placement.ts';
import type { DesignActions, DesignState, EditorState, Slice, StoreContext, StoreEvent } from './state.ts';

const HISTORY_LIMIT = 200;
const COALESCE_MS = 1500;

/** A design as the editor holds it: every node placed (provisionally, until the auto-layout runs), every edge with an id. */
export function asOpened(design: Design): Design {
  return withEdgeIds(placeUnpositioned(design));
}

/** What an edit tells the other slices besides the design (see `StoreEvent`'s `edit`). */
type EditNote = Omit<Extract<StoreEvent, { type: 'edit' }>, 'type' | 'design' | 'issues'>;

/**
 * The design slice: the initial design, an empty history, and the edits. It writes only its own fields; each
 * change of the design is told to the other slices (`ctx.after`), whose fields go into the same `set`.
 */
export function createDesignSlice(ctx: StoreContext): Slice<DesignState & DesignActions> {
  return (set, get) => {
    let lastCoalesce: { key: string; at: number } | null = null;

    /** `design` with what the other slices make of `event`, for one `set`. */
    const changed = (event: StoreEvent & { design: Design }, s: EditorState) => ({ design: event.design, ...ctx.after(event, s) });

    /** Makes `next` the design as one undo step (or merges it into the previous one with the same `coalesce` key). */
    const commit = (next: Design, note: EditNote & { coalesce?: string } = {}) => {
      const s = get();
      if (next === s.design) return;
      const { coalesce, ...rest } = note;
      const now = Date.now();
      const merge = coalesce !== undefined && lastCoalesce?.key === coalesce && now - lastCoalesce.at < COALESCE_MS;
      lastCoalesce = coalesce !== undefined ? { key: coalesce, at: now } : null;
      const past = merge ? s.past : [...s.past.slice(-HISTORY_LIMIT + 1), s.design];
      set({ ...changed({ type: 'edit', design: next, issues: s.loadIssues, ...rest }, s), past, future: [] });
    };

    return {
      design: ctx.initial,
      loadIssues: ctx.issues,
      past: [],
      future: [],

      loadDesign(design, o = {}) {
        const s = get();
        lastCoalesce = null;
        const issues = o.issues ?? [];
        const open: StoreEvent = { type: 'open', design: asOpened(design), issues, needsLayout: design.nodes.some((n) => !n.position) };
        set({
          ...changed(open, s),
          loadIssues: issues,
          past: o.resetHistory ? [] : [...s.past.slice(-HISTORY_LIMIT + 1), s.design],
          future: [],
        });
      },

      edit(fn, o = {}) {
        commit(fn(get().design), o);
      },

      addNode(kind, position, params, from, idBase) {
        const r = addNode(get().design, { kind, params: params ?? {}, position, ...(idBase ? { id: idBase } : {}) }, from);
        if (!r) return null;
        commit(r.design, { select: [r.id] });
        return r.id;
      },

      connect(source, target) {
        const r = connectNodes(get().design, source, target);
        if (!r.ok) {
          get().notify(r.severity, r.reason);
          return false;
        }
        commit(r.design);
        return true;
      },

      removeSelected() {
        const s = get();
        if (!s.selection.length && !s.selectedEdges.length) return;
        commit(removeNodes(s.design, s.selection, s.selectedEdges), { select: [] });
      },

      setParams(id, params, coalesce) {
        commit(replaceParams(get().design, id, params), { coalesce });
      },

      rename(id, name) {
        commit(renameNode(get().design, id, name), { coalesce: `name:${id}` });
      },

      moveNodes(moves) {
        commit(moveNodes(get().design, moves));
      },

      setPositions(positions, o = {}) {
        const s = get();
        const next = moveNodes(s.design, positions, { round: false });
        // unrecorded (or nothing moved), the positions still end the wait for the auto-layout
        if (o.record === false || next === s.design) set(changed({ type: 'layout', design: next, issues: s.loadIssues }, s));
        else commit(next, { laidOut: true });
      },

      undo() {
        const s = get();
        const prev = s.past[s.past.length - 1];
        if (!prev) return;
        lastCoalesce = null;
        set({ ...changed({ type: 'history', design: prev, issues: s.loadIssues }, s), past: s.past.slice(0, -1), future: [s.design, ...s.future] });
      },

      redo() {
        const s = get();
        const next = s.future[0];
        if (!next) return;
        lastCoalesce = null;
        set({ ...changed({ type: 'history', design: next, issues: s.loadIssues }, s), past: [...s.past, s.design], future: s.future.slice(1) });
      },

      duplicate() {
        const s = get();
        if (!s.selection.length) return;
        const f = extractFragment(s.design, s.selection);
        get().insertFragment(f, { at: pasteSpot(s.design, f) });
      },

      groupSelection(o = {}) {
        const s = get();
        const already = exactGroup(s.design, s.selection);
        if (already) {
          // grouping a group again would only give it a new id (and drop the label it has)
          get().notify('info', `These layers are already the group '${s.design.groups?.find((g) => g.id === already)?.label ?? already}'`);
          return null;
        }
        const r = groupNodes(s.design, s.selection, o);
        if (!r.groupId) {
          get().notify('info', 'Select the layers to group first (drag a box with Shift, or Ctrl+click)');
          return null;
        }
        commit(r.design);
        return r.groupId;
      },

      ungroup(groupId) {
        commit(ungroup(get().design, groupId));
      },

      insertFragment(fragment, place, from, skipFrom) {
        const r = pasteFragment(get().design, fragment, place, from, skipFrom);
        commit(r.design, { select: r.ids, follow: true });
        return r.ids;
      },

      applyAdvice(item) {
        const s = get();
        if (s.adviceFor !== s.design || !s.advice.some((a) => a.rule === item.rule && a.nodeId === item.nodeId)) return false;
        const full = item.rewrite ? item : adviceAt(s.design, s.analysis, item.rule, item.nodeId);
        if (!full?.rewrite) return false;
        lastCoalesce = null;
        commit(makeRoom(full.rewrite, full.nodeId, full.added), { select: [item.nodeId, ...item.added], applied: true });
        return true;
      },

      applyQuickFix(fix, base) {
        // the fix's rewrite was made from `base`: on any other design it would undo what changed since
        if (get().design !== base) return false;
        lastCoalesce = null;
        commit(fix.rewrite);
        get().follow(fix.added.length ? fix.added : [fix.nodeId]);
        return true;
      },
    };
  };
}
