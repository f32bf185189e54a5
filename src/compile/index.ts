/**
 * Compiler: a Convas design → a tfjs `LayersModel` (functional API). The only place in the project that
 * imports tfjs (besides `node-*.ts` next to it). Browser-safe: no Node modules here.
 *
 * Semantics (contract §1):
 * - explicit padding → `zeroPadding2d` + `'valid'`; `'same'` is tfjs `'same'` (the TensorFlow rule), except
 *   for convolutions where tfjs-wasm computes it wrongly (see `padded`): there explicit too.
 * - `ceilMode` pools: the extra bottom/right rows and columns are padded explicitly. Max pools pad with −∞
 *   (a `ConstantPad2d` layer), so padding never wins a max. Avg pools pad with zeros and count the explicit
 *   padding (PyTorch's `count_include_pad=True`) but not the extra ceil-mode cells: a `PoolCountScale` layer
 *   rescales the last row/column by full window / covered cells, as PyTorch divides.
 *   `'same'` avg pools are tfjs's, which leave the padding out of the count (the TensorFlow rule).
 * - depthwise convolutions are `DepthwiseConv2D` of layers.ts: tfjs's own ignores the dilation.
 * - `groups`: groups == Cin → `depthwiseConv2d` (depth multiplier filters/Cin; same channel order and
 *   parameter count as a grouped conv); other groups → per-group channel slices, one `conv2d` each,
 *   concatenated in group order.
 * - inputs of `add`/`concat` come in port order: `targetPort` where given, else edge order.
 * - weights come from the one seeded generator (`core/initial-weights.ts`, default seed `DEFAULT_SEED`), the
 *   same numbers the ONNX and PyTorch exports hold: layers are built with zero initializers and the generator's
 *   values are set once the model stands.
 * - a tensor given to one layer twice (`add` of x and x) reaches it the second time through a `reshape` to its own
 *   shape (`<id>__dup<k>`): tfjs's executor counts the consumers of a tensor but decrements per input, so it
 *   disposed such a tensor while another layer still needed it.
 * - `flatten` of a flat `[N]` passes it through (a `reshape` to `[N]`; tfjs's flatten wants rank ≥ 3).
 * The compiled model is cross-checked: `countParams()` equals the analysis, and each node's tfjs output
 * shape equals its analysed shape.
 */

import * as tf from '@tensorflow/tfjs';
import { type ActivationName, analyze, outputNodes, sameShape, formatCompact, formatInt, getLayerKind, inputsInPortOrder, nodeDepths, nodeLabel, topologicalOrder, validateParams } from '../core/index.ts';
import type { Analysis, Design, DesignEdge, DesignNode, KindName, NodeAnalysis, Pair, PaddingValue, Shape } from '../core/index.ts';
import { ceilCountScale, window2d } from '../core/spatial.ts';
import { DEFAULT_SEED, nodeInitialWeights, type InitOptions, type NodeWeights, type WeightTensor } from '../core/initial-weights.ts';
import { ChannelSlice, ConstantPad2d, DepthwiseConv2D, LocalResponseNorm, PoolCountScale } from './layers.ts';
import { expectedTime } from './budget.ts';

export { ChannelSlice, ConstantPad2d, LocalResponseNorm };
export { ceilCountScale };

/**
 * Most tfjs layers on one path from an input to an output (padding and other helper layers included). tfjs's
 * `tf.model()` walks the graph recursively (`buildMapOfGraph`), one stack frame per layer in a row: measured
 * with Node's default stack, a chain of 4,400 layers compiles and 4,600 overflow. Browsers' worker stacks can
 * be smaller, so the limit keeps a margin of over 2×; the deepest classic networks (DenseNet-201, ResNet-152)
 * are under 1,000.
 */
export const MAX_TFJS_DEPTH = 2000;

export { DEFAULT_MAC_BUDGET, MACS_PER_SECOND, expectedTime, formatSeconds } from './budget.ts';

/** Default memory budget for weights + activations of one forward pass (float32, batch 1): 2 GiB. */
export const DEFAULT_MEMORY_BUDGET = 2 * 2 ** 30;

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

export interface CompileOptions {
  /** weight-initialisation seed (default `DEFAULT_SEED`, the one the editor and every command use) */
  seed?: number;
  /** options of the weight generator (tests: every tensor random) */
  init?: InitOptions;
  /** refuse designs whose float32 weights + activations exceed this many bytes (default 2 GiB) */
  memoryBudgetBytes?: number;
  /**
   * refuse designs whose forward pass needs more multiply-accumulates (default: no limit, for exports that only
   * compile; the runs, `convas run` and the Run tab, pass `DEFAULT_MAC_BUDGET`)
   */
  macBudget?: number;
  /** the backend the model will run on, for the expected time in a refusal (default wasm) */
  backend?: string;
}

export interface Compiled {
  model: tf.LayersModel;
  /** node id → the symbolic tensor of that node's output */
  outputsByNode: Map<string, tf.SymbolicTensor>;
  analysis: Analysis;
}

type Params = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface RuleContext {
  node: DesignNode;
  /** params resolved by the core (defaults filled in, int2 as pairs) */
  params: Params;
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
  assign: (layer: tf.layers.Layer, pick: (w: NodeWeights) => WeightTensor[]) => void;
}

export type CompileRule = (ctx: RuleContext) => tf.SymbolicTensor;

/** Convas activation → the tfjs (Keras) identifier; typed by core's list, so a new activation is a type error here. */
const ACTIVATION_MAP: Record<ActivationName, string> = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu', sigmoid: 'sigmoid',
  tanh: 'tanh', softmax: 'softmax', softplus: 'softplus', swish: 'swish',
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function act(name: string | undefined): any {
  const key = name ?? 'linear';
  const a = Object.hasOwn(ACTIVATION_MAP, key) ? ACTIVATION_MAP[key as ActivationName] : undefined;
  if (!a) throw new CompileError(`unknown activation "${name}"`, 'unsupported');
  return a;
}

const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;

/**
 * Explicit (or ceil-mode) padding as `[[top, bottom], [left, right]]`, or null when there is none. `'same'` gives
 * null (tfjs pads it itself) unless `sameToo`, when its before/after amounts are returned like any other.
 */
function explicitPads(
  x: Shape, kernel: Pair, strides: Pair, dilation: Pair, padding: PaddingValue, ceilMode = false, sameToo = false,
): [[number, number], [number, number]] | null {
  if ((padding === 'same' && !sameToo) || (padding === 'valid' && !ceilMode)) return null;
  const r = window2d(x[0], x[1], { kernel, stride: strides, dilation, padding, ceilMode });
  if ('fail' in r) return null; // unreachable: the analysis ran first
  const { before, after } = r.ok;
  if (before[0] + after[0] + before[1] + after[1] === 0) return null;
  return [[before[0], after[0]], [before[1], after[1]]];
}

/**
 * A convolution's window (kernel, strides, dilation), its padded input, and the stride left to `subsample`.
 * TensorFlow (so tfjs) runs dilation above 1 only with stride 1 (`tf.conv2d`: "either strides or dilations must
 * be 1"); PyTorch and ONNX run both at once. Such a convolution runs here with stride 1 on the input padded as the
 * strided one pads it, then keeps every s-th output (`subsample`): output i of the strided convolution is
 * output i·s of the stride-1 one, so the numbers are the same and only s² times the work is done.
 */
function convWindow(ctx: RuleContext) {
  const kernel = ctx.params.kernelSize as Pair;
  const strides = ctx.params.strides as Pair;
  const dilation = ctx.params.dilation as Pair;
  const split = (dilation[0] > 1 || dilation[1] > 1) && (strides[0] > 1 || strides[1] > 1);
  if (!split) return { kernel, strides, dilation, ...padded(ctx, kernel, strides, dilation), stride: null };
  const pads = explicitPads(ctx.inputShapes[0], kernel, strides, dilation, ctx.params.padding as PaddingValue, false, true);
  const x = pads ? apply(tf.layers.zeroPadding2d({ padding: pads, name: ctx.helper('pad') }), ctx.inputs[0]) : ctx.inputs[0];
  return { kernel, strides: [1, 1] as Pair, dilation, x, padding: 'valid' as const, stride: strides };
}

/** Keeps every `stride`-th row and column of a node's output (a 1×1 average pool, `<id>__stride`); see `convWindow`. */
function subsample(ctx: RuleContext, y: tf.SymbolicTensor, stride: Pair | null): tf.SymbolicTensor {
  if (!stride) return y;
  return apply(tf.layers.averagePooling2d({ poolSize: [1, 1], strides: stride, padding: 'valid', name: ctx.helper('stride') }), y);
}

/**
 * Convolution input after explicit padding, and the tfjs padding word to use. `'same'` is handed to tfjs only
 * where every axis needs padding ≥ 0 by the TensorFlow rule before it is clamped, and pads alike before and after:
 * tfjs-wasm (its XNNPACK) does not clamp a negative total padding (`(out − 1)·s + d·(k − 1) + 1 − in < 0`, e.g.
 * input 5, stride 3, kernel 1) and computed wrong numbers there. Elsewhere the core's exact before/after padding
 * is explicit (`<id>__pad`), or none at all, and the convolution `'valid'`.
 */
function padded(ctx: RuleContext, kernel: Pair, strides: Pair, dilation: Pair): { x: tf.SymbolicTensor; padding: 'valid' | 'same' } {
  const p = ctx.params.padding as PaddingValue;
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

function pool(kind: 'max' | 'avg'): CompileRule {
  return (ctx) => {
    const p = ctx.params;
    const poolSize = p.poolSize as Pair;
    const strides = (p.strides ?? p.poolSize) as Pair;
    let x = ctx.inputs[0];
    let padding: 'valid' | 'same' = 'valid';
    if (p.padding === 'same') padding = 'same';
    else {
      const pads = explicitPads(ctx.inputShapes[0], poolSize, strides, [1, 1], p.padding, p.ceilMode);
      if (pads) {
        x = kind === 'max'
          ? apply(new ConstantPad2d({ padding: pads, value: -Infinity, name: ctx.helper('pad') }), x)
          : apply(tf.layers.zeroPadding2d({ padding: pads, name: ctx.helper('pad') }), x);
      }
    }
    const args = { poolSize, strides, padding, name: ctx.name };
    if (kind === 'max') return apply(tf.layers.maxPooling2d(args), x);
    const y = apply(tf.layers.averagePooling2d(args), x);
    const scale = padding === 'valid' && p.ceilMode ? ceilCountScale(ctx.inputShapes[0], poolSize, strides, p.padding as PaddingValue) : null;
    return scale ? apply(new PoolCountScale({ ...scale, name: ctx.helper('count') }), y) : y;
  };
}

/** One rule per kind; a kind missing here is a type error. */
export const COMPILE_RULES: Record<KindName, CompileRule> = {
  input: () => {
    throw new Error('input nodes are created by compileDesign'); // never called
  },
  conv2d(ctx) {
    const p = ctx.params;
    const { kernel, strides, dilation, x, padding, stride } = convWindow(ctx);
    const cin = ctx.inputShapes[0][2];
    const groups = p.groups as number;
    const common = { kernelSize: kernel, strides, padding, dilationRate: dilation, useBias: p.useBias as boolean };
    const withBias = (w: NodeWeights, kernelW: WeightTensor) => (w.bias ? [kernelW, w.bias] : [kernelW]);
    if (groups === 1) {
      const layer = tf.layers.conv2d({
        ...common, filters: p.filters, activation: act(p.activation), name: ctx.name,
        kernelInitializer: 'zeros', biasInitializer: 'zeros',
      });
      ctx.assign(layer, (w) => withBias(w, w.kernel!));
      return subsample(ctx, apply(layer, x), stride);
    }
    if (groups === cin) {
      // A grouped conv with one input channel per group is a depthwise conv (same channel order and count):
      // the kernel [kh, kw, 1, filters] is the depthwise [kh, kw, Cin, filters/Cin] read in the same order.
      const layer = new DepthwiseConv2D({
        ...common, depthMultiplier: p.filters / cin, activation: act(p.activation), name: ctx.name,
        depthwiseInitializer: 'zeros', biasInitializer: 'zeros',
      });
      ctx.assign(layer, (w) => withBias(w, { shape: [kernel[0], kernel[1], cin, p.filters / cin], data: w.kernel!.data }));
      return subsample(ctx, apply(layer, x), stride);
    }
    const inPer = cin / groups;
    const outPer = p.filters / groups;
    const parts: tf.SymbolicTensor[] = [];
    for (let g = 0; g < groups; g++) {
      const slice = apply(new ChannelSlice({ begin: g * inPer, size: inPer, name: ctx.helper(`slice${g}`) }), x);
      const layer = tf.layers.conv2d({
        ...common, filters: outPer, name: ctx.helper(`g${g}`), kernelInitializer: 'zeros', biasInitializer: 'zeros',
      });
      ctx.assign(layer, (w) => {
        const k = lastAxisSlice(w.kernel!, g * outPer, outPer);
        return w.bias ? [k, lastAxisSlice(w.bias, g * outPer, outPer)] : [k];
      });
      parts.push(apply(layer, slice));
    }
    // The activation comes after the concatenation (softmax must see every channel).
    const joined = apply(tf.layers.concatenate({ axis: -1, name: p.activation === 'linear' ? ctx.name : ctx.helper('concat') }), parts);
    return subsample(ctx, p.activation === 'linear' ? joined : apply(tf.layers.activation({ activation: act(p.activation), name: ctx.name }), joined), stride);
  },
  depthwiseConv2d(ctx) {
    const p = ctx.params;
    const { kernel, strides, dilation, x, padding, stride } = convWindow(ctx);
    const layer = new DepthwiseConv2D({
      kernelSize: kernel, strides, padding, dilationRate: dilation, depthMultiplier: p.depthMultiplier,
      useBias: p.useBias, activation: act(p.activation), name: ctx.name,
      depthwiseInitializer: 'zeros', biasInitializer: 'zeros',
    });
    ctx.assign(layer, (w) => (w.bias ? [w.kernel!, w.bias] : [w.kernel!]));
    return subsample(ctx, apply(layer, x), stride);
  },
  maxPool2d: pool('max'),
  avgPool2d: pool('avg'),
  globalAvgPool: (ctx) => apply(tf.layers.globalAveragePooling2d({ name: ctx.name }), ctx.inputs[0]),
  globalMaxPool: (ctx) => apply(tf.layers.globalMaxPooling2d({ name: ctx.name }), ctx.inputs[0]),
  // A flat [N] passes through (contract §1); tfjs's flatten refuses inputs below rank 3.
  flatten: (ctx) => apply(ctx.inputShapes[0].length === 1
    ? tf.layers.reshape({ targetShape: [...ctx.inputShapes[0]], name: ctx.name })
    : tf.layers.flatten({ name: ctx.name }), ctx.inputs[0]),
  dense(ctx) {
    const layer = tf.layers.dense({
      units: ctx.params.units, useBias: ctx.params.useBias, activation: act(ctx.params.activation), name: ctx.name,
      kernelInitializer: 'zeros', biasInitializer: 'zeros',
    });
    ctx.assign(layer, (w) => (w.bias ? [w.kernel!, w.bias] : [w.kernel!]));
    return apply(layer, ctx.inputs[0]);
  },
  batchNorm(ctx) {
    const layer = tf.layers.batchNormalization({
      axis: -1, epsilon: ctx.params.epsilon, momentum: ctx.params.momentum, name: ctx.name,
    });
    ctx.assign(layer, (w) => [w.gamma!, w.beta!, w.movingMean!, w.movingVariance!]);
    return apply(layer, ctx.inputs[0]);
  },
  activation: (ctx) => apply(tf.layers.activation({ activation: act(ctx.params.fn), name: ctx.name }), ctx.inputs[0]),
  dropout: (ctx) => apply(tf.layers.dropout({ rate: ctx.params.rate, seed: 0, name: ctx.name }), ctx.inputs[0]),
  lrn: (ctx) => apply(new LocalResponseNorm({
    depthRadius: ctx.params.depthRadius, bias: ctx.params.bias, alpha: ctx.params.alpha, beta: ctx.params.beta, name: ctx.name,
  }), ctx.inputs[0]),
  zeroPad2d(ctx) {
    const [ph, pw] = ctx.params.padding as Pair;
    return apply(tf.layers.zeroPadding2d({ padding: [[ph, ph], [pw, pw]], name: ctx.name }), ctx.inputs[0]);
  },
  add: (ctx) => apply(tf.layers.add({ name: ctx.name }), ctx.inputs),
  concat: (ctx) => apply(tf.layers.concatenate({ axis: -1, name: ctx.name }), ctx.inputs),
};

/** Elements `[begin, begin + size)` of the last axis of a row-major tensor (one group's filters). */
function lastAxisSlice(t: WeightTensor, begin: number, size: number): WeightTensor {
  const last = t.shape[t.shape.length - 1];
  const rows = t.data.length / last;
  const data = new Float32Array(rows * size);
  for (let r = 0; r < rows; r++) data.set(t.data.subarray(r * last + begin, r * last + begin + size), r * size);
  return { shape: [...t.shape.slice(0, -1), size], data };
}

/** A tfjs-safe layer name for a node id (`A-Z a-z 0-9 _ . -`, starting with a letter or digit). */
export function layerName(id: string): string {
  const s = id.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z0-9]/.test(s) ? s : `n${s}`;
}

/**
 * An upper bound on the memory one forward pass takes (batch 1, float32) on tfjs's wasm backend with XNNPACK, the
 * largest of the backends Convas runs (the cpu backend takes less), in bytes, framework and runtime not counted:
 * - every weight twice (the initializer's JS array and the copy in the wasm heap), plus one transient copy of
 *   the largest layer's weights (a dense layer's matmul transposes its kernel: VGG-16);
 * - XNNPACK's packed copy of each convolution's weights, its output channels rounded up to a multiple of 8 per
 *   group (a 1-filter 4096×4096 conv packs 8× its weights: the measured 2.3 GB of a "576 MiB" design);
 * - every node's activations kept, plus a JS copy of each input and of each output read back;
 * - the largest convolution's indirection buffer, one 4-byte pointer per output pixel and kernel tap;
 * - a dilated strided convolution's stride-1 output (tfjs runs it at stride 1, then subsamples: `convWindow`).
 * plus 10% allocator slack. Measured peaks (RSS above an idle run) stay below it: a 1-filter 4096×4096 conv on
 * 4096×4096×3 2,327 MiB (bound 2,816), two 1024×1024×64 convs 822 (911), a 8192→16384 dense 1,007 (1,690),
 * VGG-16 1,084 (1,721), ResNet-50 299 (485). Without `design`, the convolution terms are left out.
 */
export function estimateMemoryBytes(analysis: Analysis, design?: Design): number {
  let elements = 2 * analysis.totals.params;
  let largest = 0;
  let indirection = 0;
  const kinds = new Map(design?.nodes.map((n) => [n.id, n]) ?? []);
  const outputs = new Set(outputNodes({ nodes: analysis.nodes, edges: design?.edges ?? [] }).map((n) => n.id));
  for (const n of analysis.nodes) {
    const size = n.outputShape ? n.outputShape.reduce((a, b) => a * b, 1) : 0;
    elements += size;
    if (n.kind === 'input' || (design && outputs.has(n.id))) elements += size;
    if (n.params > largest) largest = n.params;
    const node = kinds.get(n.id);
    if (!node || !n.outputShape || !n.inputShapes?.[0] || (n.kind !== 'conv2d' && n.kind !== 'depthwiseConv2d')) continue;
    const p = validateParams(getLayerKind(n.kind)!.params, node.params).params as Params | null;
    if (!p) continue;
    const [kh, kw] = p.kernelSize as Pair;
    const cin = n.inputShapes[0][2];
    const [ho, wo, cout] = n.outputShape;
    const groups = n.kind === 'depthwiseConv2d' ? cin : (p.groups as number);
    const perGroup = Math.ceil(cout / groups / 8) * 8;
    elements += groups * perGroup * (kh * kw * (cin / groups) + 1);
    // dilation with stride runs at stride 1 first (convWindow): its full-size output, at most (Ho·s)×(Wo·s), is held too
    const strides = p.strides as Pair;
    const dilation = p.dilation as Pair;
    const split = (dilation[0] > 1 || dilation[1] > 1) && (strides[0] > 1 || strides[1] > 1);
    const pixels = split ? ho * strides[0] * wo * strides[1] : ho * wo;
    if (split) elements += pixels * cout;
    indirection = Math.max(indirection, pixels * kh * kw * 4);
  }
  // 10% for the wasm heap's allocator slack: the closest measured case (two 1024×1024×64 convs) peaks at 0.99
  // of the sum above.
  return Math.ceil(((elements + largest) * 4 + indirection) * 1.1);
}

function tooDeep(what: string): CompileError {
  return new CompileError(
    `the longest path from an input is ${what}; tfjs builds a model recursively and Convas runs at most `
    + `${formatInt(MAX_TFJS_DEPTH)} layers in a row (its stack overflows at about 4,500 in Node)`,
    'unsupported',
  );
}

/**
 * The number of tfjs layers on the longest path ending at `out`, input layer included, walking back through the
 * layers a node added until tensors already in `known`; records the answer in `known`. Iterative.
 */
function layersDeep(out: tf.SymbolicTensor, known: Map<tf.SymbolicTensor, number>): number {
  const stack: [tf.SymbolicTensor, boolean][] = [[out, false]];
  while (stack.length) {
    const [t, expanded] = stack.pop()!;
    if (known.has(t) && !expanded) continue;
    // An input layer's node lists its own output as its input: it starts a path.
    const ins = (t.sourceLayer.inboundNodes[t.nodeIndex]?.inputTensors ?? []).filter((i) => i !== t);
    if (expanded) {
      let d = 0;
      for (const i of ins) d = Math.max(d, known.get(i) ?? 0);
      known.set(t, d + 1);
    } else {
      stack.push([t, true]);
      for (const i of ins) if (!known.has(i)) stack.push([i, false]);
    }
  }
  return known.get(out)!;
}

const mb = (bytes: number) => `${formatInt(Math.round(bytes / 2 ** 20))} MiB`;

export { inputsInPortOrder } from '../core/index.ts';


/**
 * Compiles a design into a tfjs model. Refuses (a `CompileError`) an invalid design with its analysis errors,
 * a design above the memory budget before allocating anything, and combinations tfjs cannot run.
 * @example const { model } = compileDesign(design, { seed: 1 }); model.predict(tf.zeros([1, 32, 32, 3]))
 */
export function compileDesign(design: Design, options: CompileOptions = {}): Compiled {
  const analysis = analyze(design);
  if (!analysis.valid) {
    const lines = analysis.errors.slice(0, 5).map((e) => e.message);
    const more = analysis.errors.length > 5 ? ` (and ${analysis.errors.length - 5} more)` : '';
    throw new CompileError(`invalid design: ${lines.join('; ')}${more}`, 'invalid', analysis.errors[0]?.nodeId);
  }
  if (!design.nodes.some((n) => n.kind === 'input')) {
    throw new CompileError(
      design.nodes.length ? 'the design has no input layer: nothing to run' : 'the design is empty: add an input layer and the layers to run',
      'invalid',
    );
  }
  // Before any tfjs work: every node is at least one layer, so a path of more nodes than the limit cannot run.
  let longest = 0;
  for (const d of nodeDepths(design).values()) if (d + 1 > longest) longest = d + 1;
  if (longest > MAX_TFJS_DEPTH) throw tooDeep(`${formatInt(longest)} layers`);
  const budget = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET;
  const need = estimateMemoryBytes(analysis, design);
  if (need > budget) {
    throw new CompileError(
      `design needs up to ${mb(need)} for a forward pass (float32 weights, their packed copies and every activation), above the ${mb(budget)} memory budget`,
      'memory',
    );
  }
  const macBudget = options.macBudget ?? Infinity;
  if (analysis.totals.macs > macBudget) {
    const g = (m: number) => `${formatCompact(m)}MACs`;
    throw new CompileError(
      `design needs ${g(analysis.totals.macs)} for one forward pass (${expectedTime(analysis.totals.macs, options.backend ?? 'wasm')}), `
      + `above the ${g(macBudget)} compute budget`,
      'compute',
    );
  }
  const seed = options.seed ?? DEFAULT_SEED;
  /** layers waiting for their weights, in node order: [node, its first input's shape, layer, pick] */
  const pending: [DesignNode, Shape, tf.layers.Layer, (w: NodeWeights) => WeightTensor[]][] = [];

  const byId = new Map(analysis.nodes.map((n) => [n.id, n]));
  const nodeById = new Map(design.nodes.map((n) => [n.id, n]));
  const inEdges = inputsInPortOrder(design);
  const names = new Set<string>();
  const uniqueName = (id: string) => {
    let name = layerName(id);
    for (let k = 2; names.has(name); k++) name = `${layerName(id)}_${k}`;
    names.add(name);
    return name;
  };

  // The design is valid, so acyclic: every node is in the order.
  const order = topologicalOrder(design);

  const outputsByNode = new Map<string, tf.SymbolicTensor>();
  const inputs: tf.SymbolicTensor[] = [];
  // tfjs layers on the longest path to each node's output, helper layers included (checked before tf.model).
  const layerDepth = new Map<tf.SymbolicTensor, number>();
  for (const id of order) {
    const node = nodeById.get(id)!;
    const a = byId.get(id)!;
    const kind = node.kind as KindName;
    const params = validateParams(getLayerKind(kind)!.params, node.params).params as Params;
    let out: tf.SymbolicTensor;
    if (kind === 'input') {
      out = tf.input({ shape: params.shape as number[], name: uniqueName(id) });
      inputs.push(out);
    } else {
      const srcs = (inEdges.get(id) ?? []).map((e) => e.source);
      const inputShapes = srcs.map((s) => byId.get(s)!.outputShape!);
      const helper = (suffix: string) => uniqueName(`${id}__${suffix}`);
      // A source given twice reaches the layer the second time as a copy of its own (see the header).
      const seen = new Set<string>();
      const nodeInputs = srcs.map((s, k) => {
        const t = outputsByNode.get(s)!;
        if (!seen.has(s)) {
          seen.add(s);
          return t;
        }
        return apply(tf.layers.reshape({ targetShape: [...inputShapes[k]], name: helper(`dup${k}`) }), t);
      });
      out = COMPILE_RULES[kind]({
        node, params, analysis: a, name: uniqueName(id), helper, inputs: nodeInputs, inputShapes,
        assign: (layer, pick) => pending.push([node, inputShapes[0], layer, pick]),
      });
    }
    const got = out.shape.slice(1);
    if (!a.outputShape || !sameShape(got, a.outputShape)) {
      throw new CompileError(
        `${nodeLabel(node)}: tfjs output shape [${got.join(', ')}] differs from the analysis [${(a.outputShape ?? []).join(', ')}]`,
        'mismatch', id,
      );
    }
    outputsByNode.set(id, out);
    const depth = layersDeep(out, layerDepth);
    if (depth > MAX_TFJS_DEPTH) throw tooDeep(`${formatInt(depth)} tfjs layers (helper layers for padding and groups included)`);
  }
  const outputs = outputNodes(design).map((n) => outputsByNode.get(n.id)!);
  const model = tf.model({ inputs, outputs, name: layerName(design.name.replace(/\s+/g, '_') || 'convas') });
  // The generator's weights, one node at a time (a grouped conv's layers share one draw).
  let drawn: [DesignNode, NodeWeights] | null = null;
  try {
    for (const [node, inShape, layer, pick] of pending) {
      if (drawn?.[0] !== node) drawn = [node, nodeInitialWeights(node, inShape, seed, options.init)];
      const values = pick(drawn[1]).map((w) => tf.tensor(w.data, w.shape));
      try {
        layer.setWeights(values);
      } finally {
        tf.dispose(values);
      }
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  drawn = null;
  const count = model.countParams();
  if (count !== analysis.totals.params) {
    model.dispose();
    throw new CompileError(
      `compiled model has ${formatInt(count)} parameters, the analysis ${formatInt(analysis.totals.params)}`, 'mismatch',
    );
  }
  return { model, outputsByNode, analysis };
}

/**
 * A model from the same inputs to one node's output (its feature maps), sharing the compiled weights.
 * @example featureMapModel(compiled, 'conv1').predict(image)
 */
export function featureMapModel(compiled: Compiled, nodeId: string): tf.LayersModel {
  const out = compiled.outputsByNode.get(nodeId);
  if (!out) throw new CompileError(`no node '${nodeId}' in the compiled design`, 'invalid', nodeId);
  return tf.model({ inputs: compiled.model.inputs, outputs: out });
}

/** The input shapes of a compiled model, without the batch. */
export function inputShapes(compiled: Compiled): number[][] {
  return compiled.model.inputs.map((t) => t.shape.slice(1) as number[]);
}

export { tf };
