/**
 * The design slice of the editor store: the design (the only thing saved), the issues its loading found, and
 * the undo/redo history. Every action here is one undoable step built from core's pure edits (`addNode`,
 * `connectNodes`, `pasteFragment`…, src/engine/edits.ts): the store only commits the result, with its derived
 * data (derived.ts) in the same `set`, and moves the selection (view-slice.ts) to what the edit made.
 */

import type { StateCreator } from 'zustand/vanilla';
import {
  addNode, adviceAt, connectNodes, extractFragment, pasteFragment, withEdgeIds,
  type AdviceDetail, type AnalysisError, type Design, type Fragment, type GroupKind, type Position,
} from '../../engine/index.ts';
import { depths, deriveFrom } from './derived.ts';
import { groupNodes, ungroup } from '../../engine/groups.ts';
import { boundsOf, clearSpot, makeRoom } from '../../engine/layout/placement.ts';
import type { EditorActions, EditorState, StoreContext } from './editor-store.ts';

export interface DesignState {
  design: Design;
  /** Issues `readDesign` found while loading (kept until the next load). */
  loadIssues: AnalysisError[];
  past: Design[];
  future: Design[];
}

export interface DesignActions {
  /** Replaces the design as one undoable step (open, preset, new). */
  loadDesign(design: Design, opts?: { issues?: AnalysisError[]; resetHistory?: boolean }): void;
  /** Applies an edit as one undo step; a `coalesce` key equal to the previous edit's (within a moment) merges them. */
  edit(fn: (d: Design) => Design, opts?: { coalesce?: string }): void;
  /**
   * Adds a layer, wired from `from` when given (layer and wire are one undo step), and selects it; its id is
   * fresh from `idBase` (a palette entry's, e.g. `conv1x1`), else from the kind's name. Null for an unknown kind.
   */
  addNode(kind: string, position: Position, params?: Record<string, unknown>, from?: string, idBase?: string): string | null;
  /** Wires `source → target` (core's `connectNodes`); a refusal is told as a notice and returns false. */
  connect(source: string, target: string): boolean;
  removeSelected(): void;
  setParams(id: string, params: Record<string, unknown>, coalesce?: string): void;
  rename(id: string, name: string): void;
  moveNodes(moves: Record<string, Position>): void;
  setPositions(positions: Record<string, Position>, opts?: { record?: boolean }): void;
  undo(): void;
  redo(): void;
  paste(): void;
  duplicate(): void;
  /** Makes a group (a block) of the selected layers, as one undo step; returns its id. */
  groupSelection(opts?: { kind?: GroupKind; label?: string }): string | null;
  /** Dissolves a group; its layers stay. */
  ungroup(groupId: string): void;
  /** Adds a fragment (a palette block, a pasted piece) as one undo step, selects it, and wires `from` into its entry. */
  insertFragment(fragment: Fragment, place: { at?: Position; offset?: Position }, from?: string): string[];
  /** Applies an advice item's rewrite as one undo step; false when the design changed since it was advised. */
  applyAdvice(item: AdviceDetail): boolean;
}

const HISTORY_LIMIT = 200;
const COALESCE_MS = 1500;

/** The design slice: the initial design (provisionally placed, every edge with an id), an empty history, and the edits. */
export function createDesignSlice(ctx: StoreContext): StateCreator<EditorState & EditorActions, [], [], DesignState & DesignActions> {
  return (set, get) => {
    let lastCoalesce: { key: string; at: number } | null = null;
    const derive = (design: Design, issues: AnalysisError[]) => deriveFrom(design, issues, ctx.cache, get());

    /** Makes `next` the design as one undo step (or merges it into the previous one with the same `coalesce` key). */
    const commit = (next: Design, coalesce?: string) => {
      const s = get();
      if (next === s.design) return;
      const now = Date.now();
      const merge = coalesce !== undefined && lastCoalesce?.key === coalesce && now - lastCoalesce.at < COALESCE_MS;
      lastCoalesce = coalesce !== undefined ? { key: coalesce, at: now } : null;
      const past = merge ? s.past : [...s.past.slice(-HISTORY_LIMIT + 1), s.design];
      const alive = new Set(next.nodes.map((n) => n.id));
      set({
        ...derive(next, s.loadIssues),
        past,
        future: [],
        selection: s.selection.filter((id) => alive.has(id)),
      });
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
        const needsLayout = design.nodes.some((n) => !n.position);
        design = withEdgeIds(placeUnpositioned(design));
        set({
          ...deriveFrom(design, issues, ctx.cache, { nodeAnalysis: s.nodeAnalysis, statMax: s.statMax }),
          loadIssues: issues,
          past: o.resetHistory ? [] : [...s.past.slice(-HISTORY_LIMIT + 1), s.design],
          future: [],
          selection: [],
          selectedEdges: [],
          fitSeq: s.fitSeq + 1,
          loadSeq: s.loadSeq + 1,
          needsLayout,
          baseline: null,
          preview: null,
          comparison: null,
          // the closed design's advice names its layers: none of it holds for the new one (found anew by the worker)
          advice: [],
          adviceFor: null,
          adviceMarks: Object.create(null),
        });
      },

      edit(fn, o = {}) {
        commit(fn(get().design), o.coalesce);
      },

      addNode(kind, position, params, from, idBase) {
        const r = addNode(get().design, { kind, params: params ?? {}, position, ...(idBase ? { id: idBase } : {}) }, from);
        if (!r) return null;
        commit(r.design);
        set({ selection: [r.id], selectedEdges: [] });
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
        const nodes = new Set(s.selection);
        const edges = new Set(s.selectedEdges);
        if (!nodes.size && !edges.size) return;
        const d = s.design;
        commit({
          ...d,
          nodes: d.nodes.filter((n) => !nodes.has(n.id)),
          edges: d.edges.filter((e) => !(e.id !== undefined && edges.has(e.id)) && !nodes.has(e.source) && !nodes.has(e.target)),
        });
        set({ selection: [], selectedEdges: [] });
      },

      setParams(id, params, coalesce) {
        const d = get().design;
        commit({ ...d, nodes: d.nodes.map((n) => (n.id === id ? { ...n, params } : n)) }, coalesce);
      },

      rename(id, name) {
        const d = get().design;
        commit(
          {
            ...d,
            nodes: d.nodes.map((n) => {
              if (n.id !== id) return n;
              if (name) return { ...n, name };
              const { name: _drop, ...rest } = n;
              return rest;
            }),
          },
          `name:${id}`,
        );
      },

      moveNodes(moves) {
        const d = get().design;
        commit({
          ...d,
          nodes: d.nodes.map((n) => (Object.hasOwn(moves, n.id) ? { ...n, position: { x: Math.round(moves[n.id].x), y: Math.round(moves[n.id].y) } } : n)),
        });
      },

      setPositions(positions, o = {}) {
        const s = get();
        const d = s.design;
        const next = { ...d, nodes: d.nodes.map((n) => (Object.hasOwn(positions, n.id) ? { ...n, position: positions[n.id] } : n)) };
        if (o.record === false) set({ ...derive(next, s.loadIssues), needsLayout: false, fitSeq: s.fitSeq + 1 });
        else {
          commit(next);
          set({ needsLayout: false, fitSeq: get().fitSeq + 1 });
        }
      },

      undo() {
        const s = get();
        const prev = s.past[s.past.length - 1];
        if (!prev) return;
        lastCoalesce = null;
        set({ ...derive(prev, s.loadIssues), past: s.past.slice(0, -1), future: [s.design, ...s.future] });
      },

      redo() {
        const s = get();
        const next = s.future[0];
        if (!next) return;
        lastCoalesce = null;
        set({ ...derive(next, s.loadIssues), past: [...s.past, s.design], future: s.future.slice(1) });
      },

      paste() {
        const clip = get().clipboard;
        if (!clip || !clip.nodes.length) return;
        get().insertFragment(clip, { at: pasteSpot(get().design, clip) });
        // the next paste lands a step further on
        set({ clipboard: { ...clip, nodes: clip.nodes.map((n) => ({ ...n, position: { x: (n.position?.x ?? 0) + 60, y: (n.position?.y ?? 0) + 60 } })) } });
      },

      duplicate() {
        const s = get();
        if (!s.selection.length) return;
        const f = extractFragment(s.design, s.selection);
        get().insertFragment(f, { at: pasteSpot(s.design, f) });
      },

      groupSelection(o = {}) {
        const s = get();
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

      insertFragment(fragment, place, from) {
        const r = pasteFragment(get().design, fragment, place, from);
        commit(r.design);
        set({ selection: r.ids, selectedEdges: [] });
        get().follow(r.ids);
        return r.ids;
      },

      applyAdvice(item) {
        const s = get();
        if (s.adviceFor !== s.design || !s.advice.some((a) => a.rule === item.rule && a.nodeId === item.nodeId)) return false;
        const full = item.rewrite ? item : adviceAt(s.design, s.analysis, item.rule, item.nodeId);
        if (!full?.rewrite) return false;
        lastCoalesce = null;
        commit(makeRoom(full.rewrite, full.nodeId, full.added));
        set({ preview: null, selection: [item.nodeId, ...item.added], selectedEdges: [] });
        return true;
      },
    };
  };
}

/** A copy lands 60 px right of and below its original, or at the first clear spot after that (placement rule). */
function pasteSpot(design: Design, f: Fragment): Position {
  const b = boundsOf(f.nodes);
  return clearSpot(design, { x: b.x + 60, y: b.y + 60 }, b);
}


/**
 * Gives nodes without a position a provisional place (row = depth from the inputs, side by side within a row),
 * so that nothing sits stacked at the origin while the real auto-layout runs in its worker.
 */
export function placeUnpositioned(design: Design): Design {
  if (!design.nodes.some((n) => !n.position)) return design;
  const depth = depths(design);
  const used = new Map<number, number>();
  return {
    ...design,
    nodes: design.nodes.map((n) => {
      if (n.position) return n;
      const d = depth[n.id] ?? 0;
      const k = used.get(d) ?? 0;
      used.set(d, k + 1);
      return { ...n, position: { x: k * 240, y: d * 130 } };
    }),
  };
}
