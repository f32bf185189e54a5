/**
 * What a kind's PyTorch rule is (`TorchRule<K>`, one per kind in `src/kinds/<kind>/torch.ts`, gathered in the
 * typed table `src/kinds/torch.ts`) and the pieces those rules share: the activation table, the padding plan,
 * Python literals, and the row-major transpose the weight layouts use. Pure TypeScript.
 */

import {
  window2d, type ActivationName, type NodeAnalysis, type PaddingValue, type Pair, type Shape,
} from '../contract/index.ts';
import type { NodeWeights, WeightTensor } from '../contract/layer-kind.ts';

/** One node's lines of the module: the layer `__init__` builds (if any) and its `forward` statements. */
export interface Emitted {
  init?: string;
  /**
   * forward statements; `$x` is the first input, `$x0`, `$x1`… each input in port order, `$sum` the inputs joined
   * by ` + `, `$list` by `, `; the result goes to `$out`
   */
  forward: string[];
}

/** What a kind's emit reads of its node. */
export interface TorchEmitContext<P> {
  /** the node's analysis (input shapes channels-last, for the padding plan) */
  a: NodeAnalysis;
  /** the node's params, validated and resolved by `validateParams` */
  p: P;
  /** `self.<attribute>`: the layer `init` builds, as `forward` calls it */
  attr: string;
  /** the first input's shape, channels-last (`[]` for an input node, which is never emitted) */
  inShape: Shape;
  /** its rank: 3 for an image `[H, W, C]`, 1 for a vector */
  rank: number;
}

/**
 * A kind's PyTorch translation: `emit` writes its module lines; `stateDict` turns its weights in Convas's layouts
 * (Keras/tfjs, channels-last: see engine/initial-weights.ts) into PyTorch state-dict tensors `[suffix, tensor]`
 * (`weight`, `bias`, `running_mean`, `running_var`), keyed under the layer's attribute name.
 */
export interface TorchRule<P, W extends NodeWeights> {
  emit(ctx: TorchEmitContext<P>): Emitted;
  stateDict(w: W): [string, WeightTensor][];
}

/**
 * The weight layout of a kind without weights: none.
 * @throws Error when weights are given anyway (they would be silently dropped).
 */
export function noWeights(w: NodeWeights): [string, WeightTensor][] {
  const keys = Object.keys(w);
  if (keys.length) throw new Error(`weights ${keys.join(', ')} given to a layer without weights: no PyTorch layout for them`);
  return [];
}

/** A layer's `weight` (in PyTorch's layout already) and its `bias`, if it has one. */
export function weightAndBias(weight: WeightTensor, w: { bias?: WeightTensor }): [string, WeightTensor][] {
  return w.bias ? [['weight', weight], ['bias', w.bias]] : [['weight', weight]];
}

/** Each activation as a PyTorch expression of `x` (NCHW, or a flat `[N, C]`); `null` for the identity. */
const ACT: Record<ActivationName, (x: string) => string | null> = {
  linear: () => null,
  relu: (x) => `F.relu(${x})`,
  relu6: (x) => `F.relu6(${x})`,
  elu: (x) => `F.elu(${x})`,
  selu: (x) => `F.selu(${x})`,
  sigmoid: (x) => `torch.sigmoid(${x})`,
  tanh: (x) => `torch.tanh(${x})`,
  softmax: (x) => `F.softmax(${x}, dim=1)`, // channels are dim 1 in NCHW, and the only dim of a flat [N, C]
  softplus: (x) => `F.softplus(${x})`,
  swish: (x) => `F.silu(${x})`,
  hardSigmoid: (x) => `F.hardsigmoid(${x})`, // relu6(x + 3) / 6
  hardSwish: (x) => `F.hardswish(${x})`, // x · relu6(x + 3) / 6
  gelu: (x) => `F.gelu(${x})`, // approximate='none': the exact erf form
};

/** Activation `fn` of `x` as a PyTorch expression, `null` for the identity. */
export function torchActivation(fn: ActivationName, x: string): string | null {
  return ACT[fn](x);
}

/** `lines`, then the activation `fn` applied to `$out` in place (nothing for `linear`). */
export function withActivation(lines: string[], fn: ActivationName): string[] {
  const f = torchActivation(fn, '$out');
  return f ? [...lines, `$out = ${f}`] : lines;
}

/** A Python tuple literal: `[3, 3]` → `(3, 3)`. */
export const tuple = (p: readonly number[]) => `(${p.join(', ')})`;
/** A Python float literal: `1` → `1.0`. */
export const pyFloat = (v: number) => (Number.isInteger(v) ? `${v}.0` : String(v));

/**
 * 'same' or explicit padding → what PyTorch needs: symmetric `padding=` (`[ph, pw]`), or, where TensorFlow's
 * 'same' pads more after than before, `padding` `[0, 0]` and `pre`, the `F.pad` tuple `(left, right, top, bottom)`
 * to apply first. The before/after split is the contract's (`window2d`).
 * @throws Error when the window does not fit the node's input (the analysis refuses such a design first).
 */
export function padPlan(node: NodeAnalysis, padding: PaddingValue, kernel: Pair, strides: Pair, dilation: Pair, ceilMode = false): { padding: readonly number[]; pre: string | null } {
  const [h, w] = node.inputShapes![0]!;
  const r = window2d(h, w, { kernel, stride: strides, dilation, padding, ceilMode });
  if (!('ok' in r)) throw new Error(`${node.id}: the window does not fit`);
  const { before, after } = r.ok;
  if (padding !== 'same' || (before[0] === after[0] && before[1] === after[1])) {
    return { padding: padding === 'valid' ? [0, 0] : padding === 'same' ? before : padding, pre: null };
  }
  return { padding: [0, 0], pre: `(${before[1]}, ${after[1]}, ${before[0]}, ${after[0]})` };
}

/** Row-major transpose of `t` by `perm` (as numpy's `transpose`). */
export function transpose(t: WeightTensor, perm: number[]): WeightTensor {
  const shape = perm.map((p) => t.shape[p]);
  const rank = t.shape.length;
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= t.shape[i];
  }
  const strideOf = perm.map((p) => inStrides[p]);
  const data = new Float32Array(t.data.length);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < data.length; o++) {
    data[o] = t.data[src];
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]++;
      src += strideOf[a];
      if (idx[a] < shape[a]) break;
      src -= strideOf[a] * shape[a];
      idx[a] = 0;
    }
  }
  return { shape, data };
}
