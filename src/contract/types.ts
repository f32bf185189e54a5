/**
 * The design model (docs/design-format.md) and the analysis result (docs/analysis.md).
 * Shapes are channels-last without the batch: `[H, W, C]` or `[N]`.
 */

export type Shape = number[];
export type Pair = [number, number];

export interface Position {
  x: number;
  y: number;
}

export interface DesignNode {
  id: string;
  kind: string;
  name?: string;
  params: Record<string, unknown>;
  position?: Position;
  group?: string;
}

export interface DesignEdge {
  /** Optional in files (docs/design-format.md#edges): scripts and hand-written designs often leave it out; the editor gives one on load. */
  id?: string;
  source: string;
  target: string;
  targetPort?: number;
}

export const GROUP_KINDS = ['inception', 'residual', 'dense', 'transition', 'block'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

export interface DesignGroup {
  id: string;
  label?: string;
  kind: GroupKind;
  collapsed?: boolean;
}

export interface Design {
  format: 'convas.design';
  version: 1;
  name: string;
  description?: string;
  nodes: DesignNode[];
  edges: DesignEdge[];
  /**
   * The model's outputs in order, by node id (docs/design-format.md#outputs): any node, one that also feeds others or
   * an input node included, each once. Without it, the nodes no edge leaves, in file order (`outputNodes`).
   */
  outputs?: string[];
  groups?: DesignGroup[];
}

/** Receptive field on the input image (Araujo et al., Distill 2019), per axis `[h, w]`. */
export interface ReceptiveField {
  size: Pair;
  stride: Pair;
  padding: Pair;
  /**
   * Present only where a unit's window depends on its position along some axis (behind an upsampling or a
   * transposed convolution; docs/receptive-field.md#windows-that-depend-on-the-units-position). `size` is then
   * the largest window, `stride` the average distance between neighbouring units (advance / period, a fraction)
   * and `padding` unit 0's.
   */
  phases?: RfPhases;
  /**
   * Present (true) only where some path reaches the node through a global pooling (a squeeze-and-excitation gate,
   * an image-pooling branch) and another through spatial layers: each unit also depends on every input pixel, and
   * `size`, `stride` and `padding` are the window of the spatial paths (docs/receptive-field.md#global-paths;
   * docs/receptive-field.md#global-paths).
   */
  global?: true;
}

/**
 * A receptive field given per unit phase, per axis `[h, w]`: unit u = q·period + r (0 ≤ r < period) sees input
 * pixels from `q·advance − padding[r]` to `q·advance − padding[r] + size[r] − 1`. An axis whose units all see
 * alike-sized windows one whole stride apart has period 1 (then advance, size[0] and padding[0] are the field's
 * stride, size and padding).
 */
export interface RfPhases {
  period: Pair;
  advance: Pair;
  size: [number[], number[]];
  padding: [number[], number[]];
}

/**
 * One error of an analysis (docs/analysis.md#errors: `nodeId` and `message`; the other keys are additions). The message
 * says what is wrong without the node's label: where errors are listed, `formatError` puts the label in front
 * (`conv2d 'c7': …`). An error about an edge or a group names it in its message (an edge without an id has
 * no other name).
 */
export interface AnalysisError {
  /** the node the error is on (for an edge, the end that exists; for a bad input, the node it leads into) */
  nodeId?: string;
  /** the edge the error is about, when it has an id */
  edgeId?: string;
  /** the edge the error is about, by its place in the file's `edges` list (0-based; see `edgePlace`) */
  edgeIndex?: number;
  groupId?: string;
  /** what is wrong, in the file's terms: a param (`kernelSize`), `kind`, `id`, `targetPort`, an edge's `source`/`target`… */
  field?: string;
  /** what is wrong, in words a student follows, without the node's label */
  message: string;
}

export interface NodeAnalysis {
  id: string;
  kind: string;
  /** The ids of the node's inputs, in input order (docs/design-format.md#input-order); `[]` for an input node. */
  inputs: string[];
  name?: string;
  outputShape: Shape | null;
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  macs: number;
  receptiveField: ReceptiveField | null;
  /** Input shapes in port order (optional extension; null where unknown). */
  inputShapes?: (Shape | null)[];
  /**
   * The outputs of the modules with parameters PyTorch writes for the node's kind ahead of its last (optional
   * extension, present only for such kinds: separableConv2d's depthwise output); the memory figures count them.
   */
  innerOutputs?: Shape[];
  /**
   * Why this node could not be computed (its own error's message, without the node's label; several joined by
   * `; `), or, in `blockedBy`, the id of the upstream node that failed.
   */
  error?: string;
  blockedBy?: string;
}

export interface GroupAnalysis {
  id: string;
  label?: string;
  kind?: GroupKind;
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  macs: number;
  nodeCount: number;
}

export interface Totals {
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  macs: number;
}

export interface Analysis {
  name: string;
  valid: boolean;
  errors: AnalysisError[];
  totals: Totals;
  nodes: NodeAnalysis[];
  groups: GroupAnalysis[];
}
