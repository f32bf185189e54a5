/**
 * The one source of initial weights. For a seed, every node's weights are drawn here, by a pure seeded
 * generator, and every backend reads them: the tfjs compiler (Run tab, `convas run`, the tfjs export), the
 * ONNX export and the PyTorch `--weights` files. Same seed → bit-identical float32 weights everywhere.
 *
 * Layouts are Keras/tfjs's (channels-last), the compiler's own; each kind writes its own, beside its weights, in
 * the `initialWeights` field of its definition (`src/kinds/<kind>/kind.ts`): `conv2d` (`kernel`
 * [kh, kw, Cin/groups, filters], `bias`), `depthwiseConv2d` (`kernel` [kh, kw, Cin, dm], `bias`), `dense`
 * (`kernel` [N, units], `bias`), `batchNorm` (`gamma`, `beta`, `movingMean`, `movingVariance`),
 * `separableConv2d` (`depthwiseKernel` [kh, kw, Cin, dm], `pointwiseKernel` [1, 1, Cin·dm, filters], `bias`); the
 * other kinds have none (`NO_WEIGHTS`). This module holds the generator and the draws every kind makes through it.
 *
 * Values: kernels are Glorot uniform (Glorot & Bengio 2010, the initializer Keras uses by default): uniform in
 * ±√(6 / (fanIn + fanOut)), with fanIn the inputs one output unit weighs (kh·kw·Cin/groups; kh·kw for a depthwise
 * filter; Cin·dm for a pointwise one; N for dense) and fanOut the outputs one input value reaches
 * (kh·kw·filters/groups; kh·kw·dm; filters; units). Keras computes a depthwise kernel's fans from its full shape
 * (kh·kw·Cin in, kh·kw·dm out), so its random scale differs there; the numbers are Convas's own, the same in
 * every backend. Biases are 0 and
 * batch norm starts as Keras does (gamma 1, beta 0, mean 0, variance 1), unless `everyTensor` is set (for tests:
 * then biases, beta and the mean are uniform in ±0.5 and gamma and the variance uniform in [0.5, 1.5], so a
 * misplaced bias or statistic shows in the outputs).
 *
 * Each node draws from its own stream, seeded by the seed and the node's id (so adding a node leaves the others'
 * weights as they were), with mulberry32; each value is rounded once to float32.
 */

import type { NodeWeights, WeightDraw, WeightTensor } from '../contract/layer-kind.ts';
import { getLayerKind } from './registry.ts';
import type { ResolvedNode } from './resolve.ts';

/** The seed of the random weights wherever none is given: the Run tab, `convas run`, every export. */
export const DEFAULT_SEED = 1;

export type { NodeWeights, WeightTensor } from '../contract/layer-kind.ts';

export interface InitOptions {
  /** draw biases and batch-norm statistics at random too (tests), instead of Keras's 0 / 1 starts */
  everyTensor?: boolean;
}

/** FNV-1a over the UTF-16 code units of a string. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** mulberry32 (Tommy Ettinger): 32-bit state, uniform floats in [0, 1). */
function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The stream of one node for one seed (any integer; JavaScript numbers beyond 2^53 are not integers). */
function nodeStream(seed: number, nodeId: string): () => number {
  const s = Math.trunc(seed);
  const lo = s >>> 0;
  const hi = Math.floor(s / 4294967296) >>> 0;
  return mulberry32(Math.imul(lo ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(hi, 0xc2b2ae35) ^ hash(nodeId));
}

function uniform(next: () => number, shape: number[], lo: number, hi: number): WeightTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  const span = hi - lo;
  for (let i = 0; i < n; i++) data[i] = lo + next() * span;
  return { shape, data };
}

function filled(shape: number[], value: number): WeightTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: new Float32Array(n).fill(value) };
}

function glorot(next: () => number, shape: number[], fanIn: number, fanOut: number): WeightTensor {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return uniform(next, shape, -limit, limit);
}

/**
 * The initial weights of one resolved node (`resolve`: its params validated for its kind, its input shapes known);
 * `{}` for kinds without weights. The kind draws them (its `initialWeights`) from the node's own stream, given the
 * shape of its (first) input. The element counts add up to the node's analysed parameters (a test holds every kind
 * to it).
 * @example nodeInitialWeights(resolve(design).byId.get('conv1')!, 1).kernel!.shape  // [3, 3, 3, 64] for a 3×3, 64-filter conv on RGB
 */
export function nodeInitialWeights(node: ResolvedNode, seed: number, options: InitOptions = {}): NodeWeights {
  // a resolved node's kind is a registered one
  const kind = getLayerKind(node.kind)!;
  const next = nodeStream(seed, node.id);
  const every = options.everyTensor === true;
  const draw: WeightDraw = {
    glorot: (shape, fanIn, fanOut) => glorot(next, shape, fanIn, fanOut),
    bias: (n) => (every ? uniform(next, [n], -0.5, 0.5) : filled([n], 0)),
    start: (shape, value, lo, hi) => (every ? uniform(next, shape, lo, hi) : filled(shape, value)),
  };
  return kind.initialWeights({ params: node.params, inputShape: node.inputShapes[0], draw });
}
