/**
 * The editor store's types, in one file that every slice imports and that imports no slice: the state and
 * actions of each slice (design-slice.ts, derived.ts, view-slice.ts), the whole store's, zustand's `set`/`get`
 * for it, the context the composer (editor-store.ts) hands each slice, and the events by which one slice tells
 * the others what happened so that each can say what its own fields become. No slice imports another: a slice
 * writes only its own fields, and the composer joins the others' answers into the same `set`.
 */

import type { StateCreator, StoreApi } from 'zustand/vanilla';
import type {
  AdviceDetail, Analysis, AnalysisCache, AnalysisError, Design, DesignNode, Fragment, GroupKind, NodeAnalysis, Position,
} from '../../engine/index.ts';
import type { NodeWeights } from '../../engine/initial-weights.ts';
import type { QuickFix } from '../../engine/quick-fixes.ts';
import type { Comparison } from './compare.ts';

/** Which number the bars on the nodes show. */
/** what the bars on the nodes show; `time` is measured (the Run tab's profile), not derived from the design */
export type Stat = 'none' | 'params' | 'macs' | 'activations' | 'time';

/** A design pinned to compare against, with its analysis. */
export interface Baseline {
  design: Design;
  analysis: Analysis;
  /** what the comparison calls it, e.g. "pinned design" or "two 3×3 twin" */
  label: string;
}

/** The notice line's message. */
export interface Notice {
  kind: 'error' | 'info';
  text: string;
  /** bumps on every notice so the same text shown twice still re-triggers */
  seq: number;
}

// ---- design slice (design-slice.ts) ----

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
  /** Wires `source → target` (the engine's `connectNodes`); a refusal is told as a notice and returns false. */
  connect(source: string, target: string): boolean;
  removeSelected(): void;
  /** Replaces a layer's params whole (the Inspector sends every field it holds). */
  setParams(id: string, params: Record<string, unknown>, coalesce?: string): void;
  rename(id: string, name: string): void;
  /** Moves layers by hand (a drag): positions rounded to whole pixels. */
  moveNodes(moves: Record<string, Position>): void;
  /** Takes the auto-layout's positions, as an undo step unless `record` is false; the canvas then fits them. */
  setPositions(positions: Record<string, Position>, opts?: { record?: boolean }): void;
  undo(): void;
  redo(): void;
  duplicate(): void;
  /** Makes a group (a block) of the selected layers, as one undo step; returns its id. */
  groupSelection(opts?: { kind?: GroupKind; label?: string }): string | null;
  /** Dissolves a group; its layers stay. */
  ungroup(groupId: string): void;
  /** Adds a fragment (a palette block, a pasted piece) as one undo step, selects it, and wires `from` into its entry. */
  insertFragment(fragment: Fragment, place: { at?: Position; offset?: Position }, from?: string, skipFrom?: string): string[];
  /** Applies an advice item's rewrite as one undo step; false when the design changed since it was advised. */
  applyAdvice(item: AdviceDetail): boolean;
  /**
   * Applies a quick fix found on the design `base` as one undo step (the selection kept), the view following the
   * layers it added (or the layer it fixed); false, and nothing changes, when the design is no longer `base`.
   */
  applyQuickFix(fix: QuickFix, base: Design): boolean;
}

// ---- derived slice (derived.ts) ----

export interface DerivedState {
  nodesById: Record<string, DesignNode>;
  analysis: Analysis;
  nodeAnalysis: Record<string, NodeAnalysis>;
  /** longest-path depth of every node from the inputs: an edge that skips more than one level is drawn aside */
  depth: Record<string, number>;
  /** node id → its place (0-based) among the model's outputs, in order (`outputNodes`); absent for other nodes */
  outputPlace: Record<string, number>;
  /** the largest value of each statistic over the design (bars are drawn relative to it) */
  statMax: Record<Exclude<Stat, 'none' | 'time'>, number>;
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

// ---- view slice (view-slice.ts) ----

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
  /**
   * The inspector's fields whose text does not parse, by `fieldKey(node, param)`: the text stays (with its error)
   * when the person selects another layer and comes back, while the design keeps its last valid value.
   */
  fieldDrafts: Record<string, string>;
}

export interface ViewActions {
  select(ids: string[], edges?: string[]): void;
  selectAll(): void;
  /** Copies the selected layers (and the edges among them) to the clipboard. */
  copy(): void;
  /** Pastes the clipboard as one undo step beside its original; the next paste lands a step further on. */
  paste(): void;
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
  /** Keeps (text) or drops (null) the text of a field that does not parse. */
  setFieldDraft(key: string, text: string | null): void;
}

// ---- weights slice (weights-slice.ts) ----

/** A trained model's weights as an import read them: the file they came from, and each node's. */
export interface TrainedWeights {
  /** the file's name, e.g. `resnet50.onnx`: what the Run tab and the exports say they use */
  source: string;
  /** node id → weights in Convas's layouts (engine/initial-weights.ts) */
  byNode: ReadonlyMap<string, NodeWeights>;
}

export interface WeightsState {
  /**
   * The open design's trained weights (they came with an imported model; never in the design file), with what
   * each node's were read for (`fitFor`: its kind, params and input shapes); null when it has none.
   */
  trained: (TrainedWeights & { fitFor: ReadonlyMap<string, string> }) | null;
  /** the trained weights that fit the design as it is now, by node id (null without trained weights) */
  weightsInUse: ReadonlyMap<string, NodeWeights> | null;
  /** node ids whose trained weights no longer fit (an edit changed the layer or its inputs' shapes, or removed it) */
  weightsDropped: readonly string[];
}

export interface WeightsActions {
  /** Takes a model's trained weights for the open design as it is now (right after `loadDesign`); not an edit. */
  setTrainedWeights(weights: TrainedWeights): void;
  /** Forgets the trained weights: every layer runs and exports with the seeded ones. */
  forgetTrainedWeights(): void;
}

// ---- the whole store ----

export type EditorState = DesignState & DerivedState & ViewState & WeightsState;
export type EditorActions = DesignActions & DerivedActions & ViewActions & WeightsActions;
export type Editor = EditorState & EditorActions;
export type EditorStore = StoreApi<Editor>;
/** zustand's `set` and `get` of the whole store, as each slice receives them. */
export type SetEditor = StoreApi<Editor>['setState'];
export type GetEditor = StoreApi<Editor>['getState'];
/** A slice: its fields and actions, built from the whole store's `set` and `get`. */
export type Slice<T> = StateCreator<Editor, [], [], T>;

/**
 * What a slice tells the others, so that each can say what its own fields become in the same `set`:
 * - `open`: another design was opened (`loadDesign`, and the first design of a store); `needsLayout` when it
 *   came without positions;
 * - `edit`: one undo step changed the design; `select` is what the edit made or leaves to select (else the
 *   selection keeps the layers that still exist), `follow` pans the canvas to it, `applied` says an advice
 *   rewrite went in (its preview ends), `laidOut` says the positions are the auto-layout's (the canvas fits them);
 * - `history`: undo or redo moved the design through its history;
 * - `layout`: the auto-layout's positions came in without an undo step;
 * - `advice`: advice for `design` arrived (derived.ts's `setAdvice`).
 * `design` is the design now (placed, every edge with an id) and `issues` what its analysis is given.
 */
export type StoreEvent =
  | { type: 'open'; design: Design; issues: AnalysisError[]; needsLayout: boolean }
  | { type: 'edit'; design: Design; issues: AnalysisError[]; select?: string[]; follow?: boolean; applied?: boolean; laidOut?: boolean }
  | { type: 'history' | 'layout'; design: Design; issues: AnalysisError[] }
  | { type: 'advice'; design: Design; advice: AdviceDetail[] };

/** What the composer (editor-store.ts) hands every slice. */
export interface StoreContext {
  /** the first design (provisionally placed, every edge with an id) */
  initial: Design;
  /** the issues its loading found */
  issues: AnalysisError[];
  /** whether it came without positions (the auto-layout then runs) */
  needsLayout: boolean;
  /** the one analysis cache of the store */
  cache: AnalysisCache;
  /**
   * The other slices' fields after `event` (each slice's own answer, joined by the composer), for the slice
   * that emits it to put in its one `set`; `s` is the state before.
   */
  after(event: StoreEvent, s: EditorState): Partial<EditorState>;
}
