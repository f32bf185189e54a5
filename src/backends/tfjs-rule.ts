/**
 * The shape of a kind's tfjs rule (`src/kinds/<kind>/tfjs.ts`, gathered in the table `src/kinds/tfjs.ts`) and the
 * helpers those rules share: a convolution's window and padding (`convWindow`, `subsample`, `explicitPads`), the
 * tfjs activation names (`act`), and the last-axis slicing of a grouped convolution's weights. A rule receives its
 * kind's params typed (`KindParams<K>`: validated and resolved by the params rules of the contract), so it needs no cast.
 */

import * as tf from '@tensorflow/tfjs';
import type { ActivationName, DesignNode, NodeAnalysis, Pair, PaddingValue, Shape } from '../contract/index.ts';
import { window2d } from '../contract/spatial.ts';
import type { ConvWindowValues } from '../contract/spatial.ts';
import type { KernelAndBias, NoWeights, NodeWeights, WeightTensor } from '../contract/layer-kind.ts';
import { ConvasHardSigmoid, ConvasHardSwish } from './tfjs-activations.ts';

/** Why a design cannot be compiled; `reason` says which kind of refusal it is. */
export class CompileError extends Error {
  constructor(
    message: string,
    readonly reason: 'invalid' | 'memory' | 'compute' | 'unsupported' | 'mismatch',
    readonly nodeId?: string,
  ) {
    super(message);
    this.name = 'CompileError';
  }
}

/** What a kind's `compile` receives for one node. */
export interface RuleContext<P, W extends NodeWeights = NodeWeights> {
  node: DesignNode;
  /** params resolved by `validateParams` (defaults filled in, int2 as pairs) */
  params: P;
  inputs: tf.SymbolicTensor[];
  inputShapes: Shape[];
  analysis: NodeAnalysis;
  /** tfjs layer name for this node (sanitized id) */
  name: string;
  /** a unique name for a helper layer of this node (padding, group slices), e.g. `c1__pad` */
  helper: (suffix: string) => string;
  /**
   * Gives `layer` (built with zero initializers) its initial weights once the model stands: `pick` chooses, from
   * the node's generated weights, the tensors in the layer's own weight order.
   */
  assign: (layer: tf.layers.Layer, pick: (w: W) => WeightTensor[]) => void;
}

/** What a kind's `readWeights` receives for one node of a compiled model. */
export interface WeightReadContext<P> {
  params: P;
  /** the node's analysis (its input and output shapes) */
  analysis: NodeAnalysis;
  /** the weights, in tfjs's order, of the node's own layer (the one `compile` named `ctx.name`) */
  own: () => WeightTensor[];
  /** the weights of this node's helper layer `suffix` (as `RuleContext.helper` named it, e.g. `g0`) */
  helper: (suffix: string) => WeightTensor[];
}

/** What a kind's `memory` receives: its params and the analysed shapes (float32 elements, batch 1). */
export interface MemoryContext<P> {
  params: P;
  inputShapes: Shape[];
  outputShape: Shape;
}

/** A node's share of `estimateMemoryBytes` beyond its weights and activations. */
export interface MemoryTerms {
  /** float32 elements held besides the weights and activations (XNNPACK's packed weights, a stride-1 output) */
  elements: number;
  /** bytes of the node's indirection buffer (only the largest one of the model counts: XNNPACK reuses it) */
  indirectionBytes: number;
}

/**
 * The tfjs rule of a kind whose params are `P` and weights `W`. Every field is required, so a new kind states each one (a kind without weights or
 * without convolution terms says so with `NO_WEIGHTS_TO_READ` / `NO_MEMORY_TERMS`).
 */
export interface TfjsRule<P, W extends NodeWeights> {
  /** Builds the node's tfjs layers on its inputs and returns its output. */
  compile: (ctx: RuleContext<P, W>) => tf.SymbolicTensor;
  /**
   * Reads the node's weights back from a compiled model (seeded or trained) in Convas's layouts
   * (engine/initial-weights.ts), the inverse of what `compile` assigned.
   */
  readWeights: (ctx: WeightReadContext<P>) => W;
  /** The node's terms of `estimateMemoryBytes` beyond its weights and activations (see there). */
  memory: (ctx: MemoryContext<P>) => MemoryTerms;
}

/** `readWeights` of a kind with no weights. */
export const NO_WEIGHTS_TO_READ = (): NoWeights => ({});

/** `memory` of a kind that holds nothing beyond its weights and activations. */
export const NO_MEMORY_TERMS = (): MemoryTerms => ({ elements: 0, indirectionBytes: 0 });

/** A layer's `[kernel, bias?]` weights as Convas's `{ kernel, bias? }`. */
export function kernelAndBias([kernel, bias]: WeightTensor[]): KernelAndBias {
  return bias ? { kernel, bias } : { kernel };
}

/** tfjs's activation identifiers (the union its layers' `activation` arguments take). */
type TfActivation = NonNullable<Parameters<typeof tf.layers.activation>[0]>['activation'];
/** The identifiers of Convas's own activation classes, registered with tfjs. */
type ConvasActivation = (typeof ConvasHardSigmoid | typeof ConvasHardSwish)['className'];

/**
 * Convas activation → the tfjs (Keras) identifier; typed by the contract's list, so a new activation is a type error
 * here. tfjs's own `hardSigmoid` is Keras 2's 0.2·x + 0.5, not Convas's: hardSigmoid and hardSwish are Convas's
 * classes (tfjs-activations.ts); tfjs's `gelu` is the exact erf form.
 */
const ACTIVATION_MAP: Record<ActivationName, TfActivation | ConvasActivation> = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu', sigmoid: 'sigmoid',
  tanh: 'tanh', softmax: 'softmax', softplus: 'softplus', swish: 'swish',
  hardSigmoid: ConvasHardSigmoid.className, hardSwish: ConvasHardSwish.className, gelu: 'gelu',
};

/**
 * The tfjs activation identifier of a Convas activation (params are validated against the same list). Convas's own
 * classes are registered with tfjs, which looks an identifier up by name, but its type lists tfjs's names only.
 */
export const act = (name: ActivationName): TfActivation => ACTIVATION_MAP[name] as TfActivation;

/** Applies a layer to symbolic tensors and returns its (single) output. */
export const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;

/**
 * Explicit (or ceil-mode) padding as `[[top, bottom], [left, right]]`, or null when there is none. `'same'` gives
 * null (tfjs pads it itself) unless `sameToo`, when its before/after amounts are returned like any other.
 */
export function explicitPads(
  x: Shape, kernel: Pair, strides: Pair, dilation: Pair, padding: PaddingValue, ceilMode = false, sameToo = false,
): [[number, number], [number, number]] | null {
  if ((padding === 'same' && !sameToo) || (padding === 'valid' && !ceilMode)) return null;
  const r = window2d(x[0], x[1], { kernel, stride: strides, dilation, padding, ceilMode });
  if ('fail' in r) return null; // unreachable: the analysis ran first
  const { before, after } = r.ok;
  if (before[0] + after[0] + before[1] + after[1] === 0) return null;
  return [[before[0], after[0]], [before[1], after[1]]];
}

/** Whether tfjs runs this convolution at stride 1 and subsamples (dilation and stride both above 1: `convWindow`). */
export const splitsStride = (strides: Pair, dilation: Pair) => (dilation[0] > 1 || dilation[1] > 1) && (strides[0] > 1 || strides[1] > 1);

/**
 * A convolution's window (kernel, strides, dilation), its padded input, and the stride left to `subsample`.
 * TensorFlow (so tfjs) runs dilation above 1 only with stride 1 (`tf.conv2d`: "either strides or dilations must
 * be 1"); PyTorch and ONNX run both at once. Such a convolution runs here with stride 1 on the input padded as the
 * strided one pads it, then keeps every s-th output (`subsample`): output i of the strided convolution is
 * output i·s of the stride-1 one, so the numbers are the same and only s² times the work is done.
 */
export function convWindow(ctx: RuleContext<ConvWindowValues>) {
  const { kernelSize: kernel, strides, dilation } = ctx.params;
  if (!splitsStride(strides, dilation)) return { kernel, strides, dilation, ...padded(ctx, kernel, strides, dilation), stride: null };
  const pads = explicitPads(ctx.inputShapes[0], kernel, strides, dilation, ctx.params.padding, false, true);
  const x = pads ? apply(tf.layers.zeroPadding2d({ padding: pads, name: ctx.helper('pad') }), ctx.inputs[0]) : ctx.inputs[0];
  return { kernel, strides: [1, 1] as Pair, dilation, x, padding: 'valid' as const, stride: strides };
}

/** Keeps every `stride`-th row and column of a node's output (a 1×1 average pool, `<id>__stride`); see `convWindow`. */
export function subsample<P>(ctx: RuleContext<P>, y: tf.SymbolicTensor, stride: Pair | null): tf.SymbolicTensor {
  if (!stride) return y;
  return apply(tf.layers.averagePooling2d({ poolSize: [1, 1], strides: stride, padding: 'valid', name: ctx.helper('stride') }), y);
}

/**
 * Convolution input after explicit padding, and the tfjs padding word to use. `'same'` is handed to tfjs only
 * where every axis needs padding ≥ 0 by the TensorFlow rule before it is clamped, and pads alike before and after:
 * tfjs-wasm (its XNNPACK) does not clamp a negative total padding (`(out − 1)·s + d·(k − 1) + 1 − in < 0`, e.g.
 * input 5, stride 3, kernel 1) and computed wrong numbers there. Elsewhere the contract's exact before/after padding
 * is explicit (`<id>__pad`), or none at all, and the convolution `'valid'`.
 */
function padded(ctx: RuleContext<ConvWindowValues>, kernel: Pair, strides: Pair, dilation: Pair): { x: tf.SymbolicTensor; padding: 'valid' | 'same' } {
  const p = ctx.params.padding;
  if (p === 'same') {
    const x = ctx.inputShapes[0];
    const unclamped = [0, 1].map((a) => (Math.ceil(x[a] / strides[a]) - 1) * strides[a] + dilation[a] * (kernel[a] - 1) + 1 - x[a]);
    const r = window2d(x[0], x[1], { kernel, stride: strides, dilation, padding: 'same' });
    if ('fail' in r) return { x: ctx.inputs[0], padding: 'same' }; // unreachable: the analysis ran first
    const { before, after } = r.ok;
    if (unclamped.every((t) => t >= 0) && before[0] === after[0] && before[1] === after[1]) return { x: ctx.inputs[0], padding: 'same' };
    if (before[0] + after[0] + before[1] + after[1] === 0) return { x: ctx.inputs[0], padding: 'valid' };
    const pads: [[number, number], [number, number]] = [[before[0], after[0]], [before[1], after[1]]];
    return { x: apply(tf.layers.zeroPadding2d({ padding: pads, name: ctx.helper('pad') }), ctx.inputs[0]), padding: 'valid' };
  }
  const pads = explicitPads(ctx.inputShapes[0], kernel, strides, dilation, p);
  if (!pads) return { x: ctx.inputs[0], padding: 'valid' };
  return { x: apply(tf.layers.zeroPadding2d({ padding: pads, name: ctx.helper('pad') }), ctx.inputs[0]), padding: 'valid' };
}

/**
 * A convolution's terms of `estimateMemoryBytes`: XNNPACK's packed copy of its weights (output channels rounded up
 * to a multiple of 8 per group, plus a bias slot each), the stride-1 output a dilated strided convolution holds
 * (`convWindow`: at most (Ho·s)×(Wo·s)×Cout), and its indirection buffer (one 4-byte pointer per output pixel and
 * kernel tap). `groups` is Cin for a depthwise convolution.
 */
export function convMemory(p: ConvWindowValues, groups: number, inputShapes: Shape[], outputShape: Shape): MemoryTerms {
  const [kh, kw] = p.kernelSize;
  const cin = inputShapes[0][2];
  const [ho, wo, cout] = outputShape;
  const perGroup = Math.ceil(cout / groups / 8) * 8;
  let elements = groups * perGroup * (kh * kw * (cin / groups) + 1);
  // dilation with stride runs at stride 1 first (convWindow): its full-size output, at most (Ho·s)×(Wo·s), is held too
  const split = splitsStride(p.strides, p.dilation);
  const pixels = split ? ho * p.strides[0] * wo * p.strides[1] : ho * wo;
  if (split) elements += pixels * cout;
  return { elements, indirectionBytes: pixels * kh * kw * 4 };
}

/** Elements `[begin, begin + size)` of the last axis of a row-major tensor (one group's filters). */
export function lastAxisSlice(t: WeightTensor, begin: number, size: number): WeightTensor {
  const last = t.shape[t.shape.length - 1];
  const rows = t.data.length / last;
  const data = new Float32Array(rows * size);
  for (let r = 0; r < rows; r++) data.set(t.data.subarray(r * last + begin, r * last + begin + size), r * size);
  return { shape: [...t.shape.slice(0, -1), size], data };
}

/** Concatenation along the last axis of row-major tensors with equal leading dims (the inverse of `lastAxisSlice`). */
export function joinLastAxis(parts: WeightTensor[]): WeightTensor {
  const lead = parts[0].shape.slice(0, -1);
  const rows = lead.reduce((a, b) => a * b, 1);
  const widths = parts.map((p) => p.shape[p.shape.length - 1]);
  const total = widths.reduce((a, b) => a + b, 0);
  const data = new Float32Array(rows * total);
  for (let r = 0; r < rows; r++) {
    let at = r * total;
    parts.forEach((p, k) => {
      data.set(p.data.subarray(r * widths[k], (r + 1) * widths[k]), at);
      at += widths[k];
    });
  }
  return { shape: [...lead, total], data };
}
