/**
 * The editor's state: the design (the only thing saved), the selection, undo/redo history and the analysis.
 * The analysis lives in its own slice keyed by node id so that a node component can select just its entry
 * and React Flow node objects never carry derived numbers. Made by a factory so every page and test starts
 * from a fresh store.
 */

import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  nodeDepths, AnalysisCache, adviceAt, edgeIdSource, adviseDetailed, analyze, defaultParams, freshEdgeId, getLayerKind, isBatchSize, withEdgeIds,
  type AdviceDetail, type Analysis, type AnalysisError, type Design, type GroupKind, type DesignEdge, type DesignNode, type NodeAnalysis, type Position,
} from '../core/index.ts';
import { compare, type Comparison } from './compare.ts';
import { extractFragment, pasteFragment, type Fragment } from './fragments.ts';
import { groupNodes, ungroup } from './groups.ts';
import { boundsOf, clearSpot } from '../ui/placement.ts';

export interface Notice {
  kind: 'error' | 'info';
  text: string;
  /** bumps on every notice so the same text shown twice still re-triggers */
  seq: number;
}

export interface EditorState {
  design: Design;
  /** Issues `readDesign` found while loading (kept until the next load). */
  loadIssues: AnalysisError[];
  nodesById: Record<string, DesignNode>;
  past: Design[];
  future: Design[];
  /** Selected node ids. */
  selection: string[];
  selectedEdges: string[];
  analysis: Analysis;
  nodeAnalysis: Record<string, NodeAnalysis>;
  /** longest-path depth of every node from the inputs: an edge that skips more than one level is drawn aside */
  depth: Record<string, number>;
  notice: Notice | null;
  /** which number the bars on the nodes show */
  stat: Stat;
  /** the largest value of each statistic over the design (bars are drawn relative to it) */
  statMax: Record<Exclude<Stat, 'none'>, number>;
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
  /** images per batch for the memory figures (contract §4) */
  batch: number;
  /** the design pinned to compare against, with its analysis; null when nothing is pinned */
  baseline: Baseline | null;
  /** the advice for `adviceFor` (computed after edits settle: each item costs one analysis) */
  advice: AdviceDetail[];
  adviceFor: Design | null;
  /** node id → how many advice items name it (the mark on the canvas) */
  adviceMarks: Record<string, number>;
  /** the advice item whose rewrite the canvas shows as ghosts */
  preview: AdviceDetail | null;
  /** the current design against the baseline (null when nothing is pinned) */
  comparison: Comparison | null;
  /** bumped when the Advice tab should come to the front */
  adviceTabSeq: number;
}

export interface Baseline {
  design: Design;
  analysis: Analysis;
  /** what the comparison calls it, e.g. "pinned design" or "two 3×3 twin" */
  label: string;
}

export interface EditorActions {
  /** Replaces the design as one undoable step (open, preset, new). */
  loadDesign(design: Design, opts?: { issues?: AnalysisError[]; resetHistory?: boolean }): void;
  /** Applies an edit as one undo step; a `coalesce` key equal to the previous edit's (within a moment) merges them. */
  edit(fn: (d: Design) => Design, opts?: { coalesce?: string }): void;
  /** Adds a layer, wired from `from` when given (layer and wire are one undo step). */
  addNode(kind: string, position: Position, params?: Record<string, unknown>, from?: string): string | null;
  connect(source: string, target: string): boolean;
  removeSelected(): void;
  setParams(id: string, params: Record<string, unknown>, coalesce?: string): void;
  rename(id: string, name: string): void;
  moveNodes(moves: Record<string, Position>): void;
  setPositions(positions: Record<string, Position>, opts?: { record?: boolean }): void;
  select(ids: string[], edges?: string[]): void;
  undo(): void;
  redo(): void;
  copy(): void;
  paste(): void;
  duplicate(): void;
  selectAll(): void;
  /** Makes a group (a block) of the selected layers, as one undo step; returns its id. */
  groupSelection(opts?: { kind?: GroupKind; label?: string }): string | null;
  /** Dissolves a group; its layers stay. */
  ungroup(groupId: string): void;
  /** Adds a fragment (a palette block, a pasted piece) as one undo step, selects it, and wires `from` into its entry. */
  insertFragment(fragment: Fragment, place: { at?: Position; offset?: Position }, from?: string): string[];
  notify(kind: Notice['kind'], text: string): void;
  setStat(stat: Stat): void;
  /** Pans the canvas to `ids` when they are out of view (what was just added). */
  follow(ids: string[]): void;
  /** Selects a node and brings it into view. */
  reveal(id: string): void;
  clearNotice(): void;
  /** Sets the batch size of the memory figures; false (and nothing changes) for one that is not a positive whole number. */
  setBatch(batch: number): boolean;
  /** Pins a design as the baseline (the current one by default); not an edit, so not undoable. */
  pinBaseline(design?: Design, label?: string): void;
  unpinBaseline(): void;
  /** Computes the advice for the current design now, on this thread (the editor uses a worker and `setAdvice`). */
  refreshAdvice(): AdviceDetail[];
  /** Takes advice computed elsewhere for `design`; ignored when the design has changed since. */
  setAdvice(design: Design, advice: AdviceDetail[]): void;
  /** Shows an advice item's rewrite as ghosts on the canvas (null hides it). */
  setPreview(item: AdviceDetail | null): void;
  /** Applies an advice item's rewrite as one undo step; false when the design changed since it was advised. */
  applyAdvice(item: AdviceDetail): boolean;
  /** Brings the Advice tab to the front. */
  showAdvice(): void;
}

export type Stat = 'none' | 'params' | 'macs' | 'activations';

/** The value a node's bar shows for a statistic. */
export function statValue(a: NodeAnalysis | undefined, stat: Stat): number {
  if (!a || !a.outputShape) return 0;
  if (stat === 'params') return a.params;
  if (stat === 'macs') return a.macs;
  if (stat === 'activations') return a.outputShape.reduce((x, y) => x * y, 1);
  return 0;
}

export type EditorStore = StoreApi<EditorState & EditorActions>;

const HISTORY_LIMIT = 200;
const COALESCE_MS = 1500;

function indexNodes(design: Design): Record<string, DesignNode> {
  const out: Record<string, DesignNode> = Object.create(null); // keyed by id: `__proto__` is a plain key
  for (const n of design.nodes) out[n.id] = n;
  return out;
}

/** Longest-path depth of every node from the inputs, in topological order (no recursion: any chain length). */
function depths(design: Design): Record<string, number> {
  // The core's iterative walk (a deep chain cannot exhaust the stack), as a prototype-free record keyed by id.
  const depth: Record<string, number> = Object.create(null);
  for (const [id, d] of nodeDepths(design)) depth[id] = d;
  return depth;
}

/** A fresh id like `conv2d_3` that the design does not use yet. */
export function freshId(design: Design, base: string): string {
  const used = new Set(design.nodes.map((n) => n.id));
  for (let i = 1; ; i++) {
    const id = `${base}_${i}`;
    if (!used.has(id)) return id;
  }
}

/**
 * The port a new wire into a merge gets so that it becomes the last input: the number of inputs it has. By core's
 * rule (`orderInputs`) the existing edges, ported or not, fill ports 0…n−1 whatever their order in the file.
 */
export function nextTargetPort(design: Design, target: string): number {
  let n = 0;
  for (const e of design.edges) if (e.target === target) n++;
  return n;
}

/** The design against the pinned baseline, or null when nothing is pinned. */
function recompare(s: Pick<EditorState, 'design' | 'analysis'>, baseline: Baseline | null, batch: number): Comparison | null {
  return baseline ? compare(baseline.design, baseline.analysis, s.design, s.analysis, batch) : null;
}

export function createEditorStore(initial: Design, opts: { issues?: AnalysisError[] } = {}): EditorStore {
  const cache = new AnalysisCache();
  let lastCoalesce: { key: string; at: number } | null = null;

  /** Everything derived from a design, recomputed once per change. */
  let peek: (() => EditorState & EditorActions) | undefined;
  const derive = (design: Design, issues: AnalysisError[], prev?: Record<string, NodeAnalysis>) => {
    const analysis = analyze(design, { cache, issues });
    const nodeAnalysis: Record<string, NodeAnalysis> = Object.create(null);
    for (const r of analysis.nodes) {
      const old = prev && Object.hasOwn(prev, r.id) ? prev[r.id] : undefined;
      // keep the old object when nothing moved, so that node components do not re-render
      nodeAnalysis[r.id] = old && old === r ? old : r;
    }
    const statMax = { params: 0, macs: 0, activations: 0 };
    for (const r of analysis.nodes) {
      statMax.params = Math.max(statMax.params, statValue(r, 'params'));
      statMax.macs = Math.max(statMax.macs, statValue(r, 'macs'));
      statMax.activations = Math.max(statMax.activations, statValue(r, 'activations'));
    }
    const st = peek?.();
    const old = st?.statMax;
    const sameMax = old && old.params === statMax.params && old.macs === statMax.macs && old.activations === statMax.activations;
    const comparison = recompare({ design, analysis }, st?.baseline ?? null, st?.batch ?? 1);
    return { design, analysis, nodeAnalysis, nodesById: indexNodes(design), depth: depths(design), statMax: sameMax ? old : statMax, comparison };
  };

  const initialNeedsLayout = initial.nodes.some((n) => !n.position);
  return createStore<EditorState & EditorActions>()((set, get) => {
    peek = get;
    initial = withEdgeIds(placeUnpositioned(initial));
    const commit = (next: Design, coalesce?: string) => {
      const s = get();
      if (next === s.design) return;
      const now = Date.now();
      const merge = coalesce !== undefined && lastCoalesce?.key === coalesce && now - lastCoalesce.at < COALESCE_MS;
      lastCoalesce = coalesce !== undefined ? { key: coalesce, at: now } : null;
      const past = merge ? s.past : [...s.past.slice(-HISTORY_LIMIT + 1), s.design];
      const alive = new Set(next.nodes.map((n) => n.id));
      set({
        ...derive(next, s.loadIssues, s.nodeAnalysis),
        past,
        future: [],
        selection: s.selection.filter((id) => alive.has(id)),
      });
    };

    return {
      ...derive(initial, opts.issues ?? []),
      loadIssues: opts.issues ?? [],
      past: [],
      future: [],
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
      needsLayout: initialNeedsLayout,
      batch: 1,
      baseline: null,
      advice: [],
      adviceFor: null,
      adviceMarks: Object.create(null),
      preview: null,
      comparison: null,
      adviceTabSeq: 0,

      loadDesign(design, o = {}) {
        const s = get();
        lastCoalesce = null;
        const issues = o.issues ?? [];
        const needsLayout = design.nodes.some((n) => !n.position);
        design = withEdgeIds(placeUnpositioned(design));
        set({
          ...derive(design, issues, s.nodeAnalysis),
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
        });
      },

      edit(fn, o = {}) {
        commit(fn(get().design), o.coalesce);
      },

      addNode(kindName, position, params, from) {
        const kind = getLayerKind(kindName);
        if (!kind) return null;
        const d = get().design;
        const id = freshId(d, kindName === 'conv2d' && params?.kernelSize === 1 ? 'conv1x1' : kindName);
        const node: DesignNode = {
          id, kind: kindName, params: { ...defaultParams(kind.params), ...(params ?? {}) },
          position: { x: Math.round(position.x), y: Math.round(position.y) },
        };
        const edges = [...d.edges];
        if (from && get().nodesById[from] && kind.arity.max !== 0) {
          const edge: DesignEdge = { id: freshEdgeId(d), source: from, target: id };
          if (kind.arity.max > 1) edge.targetPort = 0;
          edges.push(edge);
        }
        commit({ ...d, nodes: [...d.nodes, node], edges });
        set({ selection: [id], selectedEdges: [] });
        return id;
      },

      connect(source, target) {
        const s = get();
        const d = s.design;
        const t = s.nodesById[target];
        const src = s.nodesById[source];
        if (!t || !src || source === target) return false;
        const kind = getLayerKind(t.kind);
        const existing = d.edges.filter((e) => e.target === target);
        if (existing.some((e) => e.source === source)) {
          get().notify('info', `${t.name ?? t.id} already takes ${src.name ?? src.id} as an input`);
          return false;
        }
        if (kind && kind.arity.max === 0) {
          get().notify('error', `${kind.title} '${t.name ?? t.id}' takes no inputs: it is where the network starts`);
          return false;
        }
        if (kind && existing.length >= kind.arity.max) {
          get().notify('error', `${kind.title} '${t.name ?? t.id}' takes ${kind.arity.max === 1 ? 'one input' : `${kind.arity.max} inputs`}; remove its input first, or merge the two with Add or Concat`);
          return false;
        }
        const edge: DesignEdge = { id: freshEdgeId(d), source, target };
        if (kind && kind.arity.max > 1) edge.targetPort = nextTargetPort(d, target);
        commit({ ...d, edges: [...d.edges, edge] });
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
        if (o.record === false) set({ ...derive(next, s.loadIssues, s.nodeAnalysis), needsLayout: false, fitSeq: s.fitSeq + 1 });
        else {
          commit(next);
          set({ needsLayout: false, fitSeq: get().fitSeq + 1 });
        }
      },

      select(ids, edges = []) {
        const s = get();
        if (sameList(s.selection, ids) && sameList(s.selectedEdges, edges)) return;
        set({ selection: ids, selectedEdges: edges });
      },

      undo() {
        const s = get();
        const prev = s.past[s.past.length - 1];
        if (!prev) return;
        lastCoalesce = null;
        set({ ...derive(prev, s.loadIssues, s.nodeAnalysis), past: s.past.slice(0, -1), future: [s.design, ...s.future] });
      },

      redo() {
        const s = get();
        const next = s.future[0];
        if (!next) return;
        lastCoalesce = null;
        set({ ...derive(next, s.loadIssues, s.nodeAnalysis), past: [...s.past, s.design], future: s.future.slice(1) });
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
        set({ clipboard: { ...clip, nodes: clip.nodes.map((n) => ({ ...n, position: { x: (n.position?.x ?? 0) + 60, y: (n.position?.y ?? 0) + 60 } })) } });
      },

      duplicate() {
        const s = get();
        if (!s.selection.length) return;
        const f = extractFragment(s.design, s.selection);
        get().insertFragment(f, { at: pasteSpot(s.design, f) });
      },

      selectAll() {
        set({ selection: get().design.nodes.map((n) => n.id), selectedEdges: [] });
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
        const s = get();
        const r = pasteFragment(s.design, fragment, place);
        let next = r.design;
        if (from && r.ids.length && s.nodesById[from]) {
          // by default the entries are the nodes with no input inside the fragment
          const inner = new Set(fragment.edges.map((e) => e.target));
          const entries = fragment.entries ?? fragment.nodes
            .filter((n) => !inner.has(n.id) && getLayerKind(n.kind)?.arity.max !== 0)
            .map((n) => ({ node: n.id, port: undefined as number | undefined }));
          const fresh = edgeIdSource(next);
          const added: DesignEdge[] = [];
          for (const entry of entries) {
            const target = r.idMap.get(entry.node);
            if (!target) continue;
            const edge: DesignEdge = { id: fresh(), source: from, target };
            if (entry.port !== undefined) edge.targetPort = entry.port;
            added.push(edge);
          }
          next = { ...next, edges: [...next.edges, ...added] };
        }
        commit(next);
        set({ selection: r.ids, selectedEdges: [] });
        get().follow(r.ids);
        return r.ids;
      },

      follow(ids) {
        set({ followIds: ids, followSeq: get().followSeq + 1 });
      },

      reveal(id) {
        if (!get().nodesById[id]) return;
        set({ selection: [id], selectedEdges: [], revealId: id, revealSeq: get().revealSeq + 1 });
      },

      setStat(stat) {
        set({ stat });
      },

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

      setPreview(item) {
        const s = get();
        if (item === s.preview) return;
        // items from the worker come without their rewritten design: rebuild this one (one analysis)
        const full = item && !item.rewrite ? adviceAt(s.design, s.analysis, item.rule, item.nodeId) : item;
        set({ preview: full });
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

      showAdvice() {
        set({ adviceTabSeq: get().adviceTabSeq + 1 });
      },

      notify(kind, text) {
        set({ notice: { kind, text, seq: (get().notice?.seq ?? 0) + 1 } });
      },
      clearNotice() {
        set({ notice: null });
      },
    };
  });
}

/** A copy lands 60 px right of and below its original, or at the first clear spot after that (placement rule). */
function pasteSpot(design: Design, f: Fragment): Position {
  const b = boundsOf(f.nodes);
  return clearSpot(design, { x: b.x + 60, y: b.y + 60 }, b);
}

const ROW_STEP = 110;

/**
 * Lays out an applied rewrite: the added layers take the advised layer's place, one row each, and the advised
 * layer with everything downstream of it moves down to make room (so nothing lands on top of another layer).
 */
export function makeRoom(design: Design, nodeId: string, added: string[]): Design {
  const target = design.nodes.find((n) => n.id === nodeId);
  if (!added.length || !target?.position) return design;
  const at = target.position;
  const out = new Map<string, string[]>();
  for (const e of design.edges) {
    const l = out.get(e.source);
    if (l) l.push(e.target);
    else out.set(e.source, [e.target]);
  }
  const below = new Set<string>([nodeId]);
  const stack = [nodeId];
  while (stack.length) for (const t of out.get(stack.pop()!) ?? []) if (!below.has(t)) { below.add(t); stack.push(t); }
  const shift = ROW_STEP * added.length;
  const order = new Map(added.map((id, i) => [id, i]));
  return {
    ...design,
    nodes: design.nodes.map((n) => {
      const i = order.get(n.id);
      if (i !== undefined) return { ...n, position: { x: at.x, y: at.y + i * ROW_STEP } };
      if (below.has(n.id) && n.position) return { ...n, position: { x: n.position.x, y: n.position.y + shift } };
      return n;
    }),
  };
}

function sameList(a: string[], b: string[]) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
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
