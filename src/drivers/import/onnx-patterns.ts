/**
 * Operators `torch.onnx.export` spells out in pieces, matched forward from their first node and read as the one
 * kind they are (docs/interop.md#onnx-import):
 * - x · Sigmoid(x) → activation `swish` (SiLU); x · HardSigmoid(x) (alpha 1/6, beta 0.5, the opset < 14 form of
 *   F.hardswish) → `hardSwish`;
 * - 0.5 · x · (1 + Erf(x / √2)) → `gelu` (PyTorch's exact GELU);
 * - ReduceMean, Sub, Pow 2, ReduceMean, Add ε, Sqrt, Div [, Mul γ, Add β] over the channels → `layerNorm`
 *   (F.layer_norm before opset 17);
 * - MatMul by a constant [, Add of a bias] → `dense`, or a 1×1 `conv2d` on a channels-last map (ConvNeXt's Linear);
 * - Reshape [1, g, C/g, H, W], Transpose [0, 2, 1, 3, 4], Reshape [1, C, H, W] → `channelShuffle` g.
 * A pattern that does not match exactly leaves its nodes to the single-operator rules (which refuse the pieces
 * they cannot express).
 */

import type { Constant, OnnxNodeProto } from './onnx-model.ts';
import { Attrs } from './onnx-model.ts';
import { dense, isChannelAxis, layerNorm, onnxDims, type ImportContext, type TensorValue } from './onnx-context.ts';

const scalar = (ctx: ImportContext, name: string | undefined): number | null => {
  const v = ctx.value(name);
  return v && 'const' in v && v.const.data.length === 1 ? v.const.data[0] : null;
};
const near = (a: number | null, b: number) => a !== null && Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

/** The one ONNX node reading `name` (null when none or several read it, or it is a model output). */
function sole(ctx: ImportContext, name: string | undefined, op: string): OnnxNodeProto | null {
  const rs = name ? ctx.readers(name) : [];
  return rs.length === 1 && rs[0].opType === op ? rs[0] : null;
}

/** The input of binary `n` other than `name` (null when `name` is not one of its two inputs). */
function other(n: OnnxNodeProto, name: string): string | null {
  const [a, b] = n.input ?? [];
  return a === name ? b : b === name ? a : null;
}

function tensorIn(ctx: ImportContext, name: string | undefined): TensorValue | null {
  const v = ctx.value(name);
  return v && 'tensor' in v ? v.tensor : null;
}

/** Tries every pattern anchored at `n`; true when one matched and its nodes are read. */
export function matchPattern(ctx: ImportContext, n: OnnxNodeProto): boolean {
  switch (n.opType) {
    case 'Sigmoid': case 'HardSigmoid': return gatedActivation(ctx, n);
    case 'Div': return gelu(ctx, n);
    case 'ReduceMean': return spelledLayerNorm(ctx, n);
    case 'MatMul': return matMul(ctx, n);
    case 'Reshape': return channelShuffle(ctx, n);
    default: return false;
  }
}

function gatedActivation(ctx: ImportContext, n: OnnxNodeProto): boolean {
  const x = n.input![0];
  const gate = n.output![0];
  if (!tensorIn(ctx, x)) return false;
  if (n.opType === 'HardSigmoid') {
    const a = new Attrs(n);
    if (!near(a.float('alpha', 0.2), 1 / 6) || !near(a.float('beta', 0.5), 0.5)) return false;
  }
  const mul = sole(ctx, gate, 'Mul');
  if (!mul || other(mul, gate) !== x) return false;
  const t = ctx.tensor(x);
  const id = ctx.add('activation', { fn: n.opType === 'Sigmoid' ? 'swish' : 'hardSwish' }, [t], mul);
  ctx.set(mul.output![0], { tensor: { ...t, node: id } });
  ctx.consume(mul);
  return true;
}

function gelu(ctx: ImportContext, div: OnnxNodeProto): boolean {
  const x = div.input![0];
  if (!tensorIn(ctx, x) || !near(scalar(ctx, div.input![1]), Math.SQRT2)) return false;
  const erf = sole(ctx, div.output![0], 'Erf');
  const plus = erf && sole(ctx, erf.output![0], 'Add');
  if (!erf || !plus || !near(scalar(ctx, other(plus, erf.output![0]) ?? undefined), 1)) return false;
  const times = sole(ctx, plus.output![0], 'Mul');
  if (!times || other(times, plus.output![0]) !== x) return false;
  const half = sole(ctx, times.output![0], 'Mul');
  if (!half || !near(scalar(ctx, other(half, times.output![0]) ?? undefined), 0.5)) return false;
  const t = ctx.tensor(x);
  const id = ctx.add('activation', { fn: 'gelu' }, [t], half);
  ctx.set(half.output![0], { tensor: { ...t, node: id } });
  ctx.consume(erf, plus, times, half);
  return true;
}

/** The reduced axes of a ReduceMean are the channel axis of `t` alone, kept. */
function overChannels(ctx: ImportContext, r: OnnxNodeProto, t: TensorValue): boolean {
  const a = new Attrs(r);
  const axes = r.input![1] ? (() => {
    const v = ctx.value(r.input![1]);
    return v && 'const' in v ? Array.from(v.const.data) : [];
  })() : a.ints('axes') ?? [];
  return axes.length === 1 && isChannelAxis(t, axes[0]) && a.int('keepdims', 1) === 1 && t.layout !== 'nchw';
}

function spelledLayerNorm(ctx: ImportContext, mean: OnnxNodeProto): boolean {
  const x = mean.input![0];
  const t = tensorIn(ctx, x);
  if (!t || !overChannels(ctx, mean, t)) return false;
  const sub = sole(ctx, mean.output![0], 'Sub');
  if (!sub || sub.input![0] !== x || sub.input![1] !== mean.output![0]) return false;
  const d = sub.output![0];
  const readers = ctx.readers(d);
  const pow = readers.find((r) => r.opType === 'Pow');
  const div = readers.find((r) => r.opType === 'Div');
  if (readers.length !== 2 || !pow || !div || pow.input![0] !== d || !near(scalar(ctx, pow.input![1]), 2) || div.input![0] !== d) return false;
  const mean2 = sole(ctx, pow.output![0], 'ReduceMean');
  if (!mean2 || !overChannels(ctx, mean2, t)) return false;
  const addEps = sole(ctx, mean2.output![0], 'Add');
  const eps = addEps && scalar(ctx, other(addEps, mean2.output![0]) ?? undefined);
  if (!addEps || eps === null || !(eps > 0)) return false;
  const sqrt = sole(ctx, addEps.output![0], 'Sqrt');
  if (!sqrt || div.input![1] !== sqrt.output![0] || ctx.readers(sqrt.output![0]).length !== 1) return false;
  // the affine part, when there is one: Mul by γ, Add of β (each a constant, one per channel)
  let last = div;
  let gamma: Constant = { dims: [1], data: new Float32Array([1]), int: false };
  let beta: Constant | undefined;
  const used = [sub, pow, div, mean2, addEps, sqrt];
  const constIn = (node: OnnxNodeProto, name: string) => {
    const v = ctx.value(other(node, name) ?? undefined);
    return v && 'const' in v ? v.const : null;
  };
  const mul = sole(ctx, div.output![0], 'Mul');
  const g = mul && constIn(mul, div.output![0]);
  if (mul && g) {
    gamma = g;
    last = mul;
    used.push(mul);
    const add = sole(ctx, mul.output![0], 'Add');
    const b = add && constIn(add, mul.output![0]);
    if (add && b) {
      beta = b;
      last = add;
      used.push(add);
    }
  }
  layerNorm(ctx, last, ctx.tensor(x), eps, gamma, beta, last.output![0]);
  ctx.consume(...used);
  return true;
}

function matMul(ctx: ImportContext, mm: OnnxNodeProto): boolean {
  const x = tensorIn(ctx, mm.input![0]);
  const w = ctx.value(mm.input![1]);
  if (!x || !w || !('const' in w) || w.const.dims.length !== 2) return false;
  const [inputs, units] = w.const.dims;
  const data = w.const.data;
  const add = sole(ctx, mm.output![0], 'Add');
  const b = add && ctx.value(other(add, mm.output![0]) ?? undefined);
  const bias = b && 'const' in b && b.const.data.length === units && b.const.dims.length === 1 ? b.const : undefined;
  const last = bias ? add! : mm;
  dense(ctx, last, ctx.tensor(mm.input![0]), inputs, units, (i, u) => data[i * units + u], bias, last.output![0]);
  if (bias) ctx.consume(add!);
  return true;
}

function channelShuffle(ctx: ImportContext, first: OnnxNodeProto): boolean {
  const t = tensorIn(ctx, first.input![0]);
  const shapeV = ctx.value(first.input![1]);
  if (!t || t.layout !== 'nchw' || !shapeV || !('const' in shapeV)) return false;
  const [h, w, c] = t.shape;
  const target = Array.from(shapeV.const.data);
  if (target.length !== 5 || target[3] !== h || target[4] !== w || target[1] * target[2] !== c) return false;
  const tr = sole(ctx, first.output![0], 'Transpose');
  if (!tr || (new Attrs(tr).ints('perm') ?? []).join() !== '0,2,1,3,4') return false;
  const back = sole(ctx, tr.output![0], 'Reshape');
  const backV = back && ctx.value(back.input![1]);
  if (!back || !backV || !('const' in backV)) return false;
  const dims = Array.from(backV.const.data);
  const want = onnxDims(t);
  if (dims.length !== 4 || dims[2] !== h || dims[3] !== w || (dims[1] !== c && dims[1] !== -1) || ![1, -1, 0].includes(dims[0]) || want[1] !== c) return false;
  const id = ctx.add('channelShuffle', { groups: target[1] }, [ctx.tensor(first.input![0])], back);
  ctx.set(back.output![0], { tensor: { ...t, pad: undefined, node: id } });
  ctx.consume(tr, back);
  return true;
}
