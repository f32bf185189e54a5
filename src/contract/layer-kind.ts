/**
 * What a layer kind is: its pure definition, which `src/kinds/<kind>/kind.ts` declares with `defineLayer` and
 * `src/kinds/registry.ts` lists. The analysis, the palette, the inspector, advice, the CLI and the SVG read these
 * definitions, and their traits (`merge`, `passThrough`, `flatInput`, `outputActivation`…) stand where other code
 * would test a kind's name. Each backend's rule for a kind lives beside it (`tfjs.ts`, `torch.ts`, `onnx.ts`,
 * `keras.ts`). The one deliberate exception is advice (engine/advice.ts), whose rules (docs/advice.md#rules) are defined for named
 * kinds.
 */

import type { ParamSchema, ParamsOf } from './params.ts';
import type { SlidingWindow } from './sliding-window.ts';
import type { Pair, Shape } from './types.ts';

export type Category = 'input' | 'convolution' | 'pooling' | 'resampling' | 'dense' | 'normalization' | 'gate' | 'merge';

/**
 * How a layer moves the receptive field where every output unit's window has one size and moves by a whole stride
 * (convolutions, pools, padding): an extent (d·(k−1)+1), a stride and the padding before, per axis. Output unit o
 * reads input units o·stride − padBefore … o·stride − padBefore + extent − 1.
 */
export interface RfAffineStep {
  extent: Pair;
  stride: Pair;
  padBefore: Pair;
}

/**
 * One axis of a step whose window depends on the output unit's position
 * (docs/receptive-field.md#windows-that-depend-on-the-units-position): output unit u = q·period + r
 * (0 ≤ r < period, its phase) reads input units `windows[r][0] + q·advance` … `windows[r][1] + q·advance`, the
 * smallest interval holding every unit it reads.
 * Integers, period ≥ 1, advance ≥ 1, windows[r][0] ≤ windows[r][1], or windows[r][0] = windows[r][1] + 1 for a phase
 * that reads no input unit (a transposed convolution whose kernel is smaller than its stride: those units hold the
 * bias alone and see nothing).
 * @example nearest upsampling by 2 (unit i reads ⌊i/2⌋): { period: 2, advance: 1, windows: [[0, 0], [0, 0]] }
 * @example transposed conv k=3, s=2, no crop (unit i reads ⌈(i − 2)/2⌉ … ⌊i/2⌋): { period: 2, advance: 1, windows: [[-1, 0], [0, 0]] }
 * @example the affine step as one phase: { period: 1, advance: stride, windows: [[−padBefore, extent − 1 − padBefore]] }
 */
export interface RfPhasedAxis {
  period: number;
  advance: number;
  windows: readonly (readonly [number, number])[];
}

/** A step given per unit phase, per axis `[h, w]` (upsampling, transposed convolution). */
export interface RfPhasedStep {
  phases: readonly [RfPhasedAxis, RfPhasedAxis];
}

/** How a layer moves the receptive field: one window for every unit (affine) or one per unit phase. */
export type RfStep = RfAffineStep | RfPhasedStep;

/** A layer that does not look at space (activation, batch norm…): the receptive field passes unchanged. */
export const RF_IDENTITY: RfAffineStep = { extent: [1, 1], stride: [1, 1], padBefore: [0, 0] };

export interface Counts {
  trainable: number;
  nonTrainable: number;
  macs: number;
}

export const NO_COUNTS: Counts = { trainable: 0, nonTrainable: 0, macs: 0 };

/** A palette entry for a kind with preset params, e.g. a 1×1 conv: `key` is unique among all entries. */
export interface PaletteVariant {
  key: string;
  title: string;
  doc: string;
  params: Record<string, unknown>;
  /** the id a layer from this entry starts from (default the kind's name), e.g. `conv1x1` */
  idBase?: string;
}

/** Everything a rule sees about one node once its inputs are known. */
export interface LayerContext<P> {
  params: P;
  inputs: Shape[];
  output: Shape;
}

/** One weight tensor: its shape (Keras/tfjs layout, channels-last) and its float32 values, row-major. */
export interface WeightTensor {
  shape: number[];
  data: Float32Array;
}

/** One node's weights by role (`kernel`, `depthwiseKernel` and `pointwiseKernel` of a separable conv, `bias`, `gamma`, `beta`, `movingMean`, `movingVariance`). */
export type NodeWeights = Partial<Record<
  'kernel' | 'depthwiseKernel' | 'pointwiseKernel' | 'bias' | 'gamma' | 'beta' | 'movingMean' | 'movingVariance', WeightTensor
>>;

/** The weights of a kernel-and-bias layer (conv2d, depthwiseConv2d, dense): the bias where `useBias`. */
export interface KernelAndBias {
  kernel: WeightTensor;
  bias?: WeightTensor;
}

/**
 * The draws a kind's `initialWeights` makes, all from the node's own seeded stream (`engine/initial-weights.ts`):
 * each call takes its values from the stream in order, so a kind draws its tensors in a fixed order.
 */
export interface WeightDraw {
  /** Glorot uniform (Glorot & Bengio 2010, Keras's default kernel initializer): uniform in ±√(6 / (fanIn + fanOut)). */
  glorot(shape: number[], fanIn: number, fanOut: number): WeightTensor;
  /** A bias of `n` values: Keras's zeros, or uniform in ±0.5 when every tensor is drawn (tests). */
  bias(n: number): WeightTensor;
  /**
   * A tensor Keras starts at `value` (batch norm's gamma 1, beta 0, mean 0, variance 1), or uniform in
   * [lo, hi] when every tensor is drawn (tests: a misplaced statistic then shows in the outputs).
   */
  start(shape: number[], value: number, lo: number, hi: number): WeightTensor;
}

/** What a kind's `initialWeights` sees: its resolved params, the shape of its (first) input, the node's draws. */
export interface WeightContext<P> {
  params: P;
  inputShape: Shape;
  draw: WeightDraw;
}

/** A kind's weights when it has none. */
export type NoWeights = Record<string, never>;

/** The `initialWeights` of a kind without weights. */
export const NO_WEIGHTS = (): NoWeights => ({});

/**
 * A kind's definition. `S` is its params schema; `W` the type of its weights (its roles, each a `WeightTensor`),
 * read off `initialWeights`, so each backend's weight rule for the kind is typed by it (`KindWeights<K>`).
 */
export interface LayerKindSpec<S extends ParamSchema, W extends NodeWeights = NodeWeights> {
  kind: string;
  title: string;
  category: Category;
  /** One line for the palette tooltip and the docs. */
  doc: string;
  params: S;
  /** How many inputs the kind takes. A kind that takes none (`max` 0) reads the network's data: the input. */
  arity: { min: number; max: number };
  /**
   * How a kind with several inputs joins them: `'sum'` adds them element-wise (a residual join: the editor and
   * the SVG draw its incoming skip edges dashed, and an input of another shape gets a 1×1 projection as its quick
   * fix), `'concat'` stacks them along channels (an input of another H×W gets padding or a pool as its quick fix),
   * `'product'` multiplies them element-wise (a gate: its inputs are not drawn as skips, and no projection is
   * offered, since a `[1, 1, C]` gate beside an `[H, W, C]` map is right as it is). Absent for a kind that takes
   * one input.
   */
  merge?: 'sum' | 'concat' | 'product';
  /**
   * True for a layer that keeps its input's shape and only rescales or gates each value where it is (batch norm,
   * an activation, dropout): the advice rules walk through such layers as if they were not there (docs/advice.md#pass-through-layers,
   * rules 2 and 3 name exactly these three). LRN, which mixes neighbouring channels, is not one.
   */
  passThrough?: boolean;
  /**
   * True for a kind that takes a flat `[N]` vector only (dense): fed a feature map, its quick fixes insert a
   * Flatten or a global average pool in front.
   */
  flatInput?: boolean;
  /**
   * The function applied last to the layer's output, read from its params: a conv's or a dense layer's
   * `activation`, an activation layer's `fn` (e.g. `'softmax'`, for which `convas run` lists the top classes).
   * Absent for a kind that applies none.
   */
  outputActivation?(params: ParamsOf<S>): string;
  /**
   * More palette entries for this kind, each with preset params (conv2d's "1×1 Conv"); the palette lists them
   * right after the kind's own entry.
   */
  paletteVariants?: readonly PaletteVariant[];
  /**
   * The output shape from the input shapes, or a message saying what is wrong (in words a student follows;
   * the message carries no node label: `formatError` puts it in front where errors are listed).
   */
  outputShape(inputs: Shape[], params: ParamsOf<S>): Shape | string;
  counts(ctx: LayerContext<ParamsOf<S>>): Counts;
  /**
   * How the receptive field moves through the layer: a step (`RF_IDENTITY` for a layer that does not look at
   * space), or `'none'` when the output no longer has a spatial layout (flatten, global pooling, dense). Merges
   * pass `RF_IDENTITY`: the analysis takes the smallest window covering every input's (docs/receptive-field.md#merging-paths).
   */
  receptiveField(ctx: LayerContext<ParamsOf<S>>): RfStep | 'none';
  /**
   * The outputs of the modules with parameters that PyTorch's export writes for this kind ahead of its last one,
   * whose output is the node's own (separableConv2d: its depthwise conv's `[Ho, Wo, Cin·dm]`). torchinfo's
   * forward/backward pass size counts the output of every module with parameters (docs/advice.md#memory), so the
   * memory figures count these too. Absent for a kind written as at most one module with parameters.
   */
  innerOutputs?(ctx: LayerContext<ParamsOf<S>>): Shape[];
  /** The node's key settings in a few characters, e.g. `conv 3×3 /2 · 64`. */
  summary(params: ParamsOf<S>): string;
  /** The arithmetic behind the numbers, as a student writes it (`params = 3·3·128·64 + 64 = 73,792`). */
  explain?(ctx: LayerContext<ParamsOf<S>>): string[];
  /**
   * The window the layer slides over its input (or scatters from it), for the inspector's "Explain this layer"
   * view; absent for a kind without one (dense, batch norm, merges). Its grids must equal `outputShape`'s H×W: the
   * engine's window-explain test checks it for every kind and option in the presets.
   */
  slidingWindow?(params: ParamsOf<S>): SlidingWindow;
  /**
   * The node's initial weights in Keras/tfjs's layout (channels-last), drawn through `draw`; `NO_WEIGHTS` for a
   * kind without any. Their element counts add up to `counts`' trainable + non-trainable parameters.
   */
  initialWeights(ctx: WeightContext<ParamsOf<S>>): W;
}

/** A kind with its params type erased, as the registry holds it. */
export type LayerKind = LayerKindSpec<ParamSchema> & {
  outputShape(inputs: Shape[], params: Record<string, unknown>): Shape | string;
  counts(ctx: LayerContext<Record<string, unknown>>): Counts;
  receptiveField(ctx: LayerContext<Record<string, unknown>>): RfStep | 'none';
  innerOutputs?(ctx: LayerContext<Record<string, unknown>>): Shape[];
  summary(params: Record<string, unknown>): string;
  outputActivation?(params: Record<string, unknown>): string;
  explain?(ctx: LayerContext<Record<string, unknown>>): string[];
  slidingWindow?(params: Record<string, unknown>): SlidingWindow;
  initialWeights(ctx: WeightContext<Record<string, unknown>>): NodeWeights;
};

/**
 * Declares a layer kind with typed params.
 * @example export const dropout = defineLayer({ kind: 'dropout', title: 'Dropout', ... });
 */
export function defineLayer<S extends ParamSchema, K extends string, W extends NodeWeights>(spec: LayerKindSpec<S, W> & { kind: K }): DefinedKind<K, S, W> {
  return spec as unknown as DefinedKind<K, S, W>;
}

/**
 * A kind as `defineLayer` returns it: erased for the registry's lookups, its name, params schema and weights type
 * kept for types (`KindParams<K>`, `KindWeights<K>`).
 */
export type DefinedKind<K extends string, S extends ParamSchema, W extends NodeWeights> = Omit<LayerKind, 'initialWeights'> & {
  kind: K;
  params: S;
  initialWeights(ctx: WeightContext<Record<string, unknown>>): W;
};
