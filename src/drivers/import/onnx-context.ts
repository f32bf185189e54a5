/**
 * What the ONNX reader's rules share (onnx-operators.ts, onnx-patterns.ts, walked by onnx-import.ts): the values
 * of the graph, the context a rule writes the design through, and the builders several rules end in (`dense`,
 * `layerNorm`). A value is a constant or a tensor one design node computes, in one of three ONNX layouts over the
 * same channels-last design shape: `nchw` (a map, ONNX `[1, C, H, W]`), `nhwc` (the same map after ConvNeXt's
 * `permute(0, 2, 3, 1)`, ONNX `[1, H, W, C]`) and `flat` (`[1, N]`).
 */

import type { DesignNode, Shape } from '../../engine/index.ts';
import type { NodeWeights, WeightTensor } from '../../engine/initial-weights.ts';
import type { Constant, OnnxNodeProto } from './onnx-model.ts';

/** How an ONNX tensor lays out the design node's channels-last shape. */
export type Layout = 'nchw' | 'nhwc' | 'flat';

/** A value one design node computes. */
export interface TensorValue {
  node: string;
  layout: Layout;
  /** the design shape, channels-last, without the batch */
  shape: Shape;
  /** a flat value in PyTorch's C·H·W order of the map `[H, W, C]` (Convas flattens H·W·C) */
  chwOf?: Shape;
  /** a zero `Pad` not yet written: `[top, left, bottom, right]`, folded into the conv or average pool it feeds */
  pad?: [number, number, number, number];
}

export type Value = { const: Constant } | { tensor: TensorValue } | { refused: true };

/** A refusal of one node, with the reason in the words on screen. */
export class Refusal extends Error {}

/** What a rule reads and writes while the graph is walked (the rules live in this file and onnx-patterns.ts). */
export interface ImportContext {
  readonly opset: number;
  /** the value of input `k` of `node` (undefined for a missing optional input) */
  value(name: string | undefined): Value | undefined;
  /** the constant named `name`, or a refusal saying `what` must be constant */
  constant(name: string | undefined, what: string): Constant;
  /** the tensor named `name`, its pending pad written as a `zeroPad2d` unless `keepPad` */
  tensor(name: string | undefined, keepPad?: boolean): TensorValue;
  /** the ONNX nodes that read value `name` (graph outputs count as a reader with op `<output>`) */
  readers(name: string): OnnxNodeProto[];
  /** the ONNX node that wrote `name`, if a node did */
  writer(name: string): OnnxNodeProto | undefined;
  /** adds a design node of `kind` reading `inputs` (in port order); returns its internal id */
  add(kind: string, params: Record<string, unknown>, inputs: TensorValue[], at: OnnxNodeProto, weights?: NodeWeights): string;
  /** the design node `id` (to adjust a param of a node just added) */
  designNode(id: string): DesignNode;
  /** sets ONNX value `name` */
  set(name: string, v: Value): void;
  /** marks ONNX nodes as read by a pattern (they are not visited again) */
  consume(...nodes: OnnxNodeProto[]): void;
}

/** A tensor's ONNX dims with batch 1. */
export function onnxDims(t: TensorValue): number[] {
  if (t.layout === 'flat') return [1, ...t.shape];
  const [h, w, c] = t.shape;
  return t.layout === 'nchw' ? [1, c, h, w] : [1, h, w, c];
}

/** float32 `x` as the shortest decimal that rounds back to it (1e-5, not 9.999999747378752e-06). */
export function shortFloat(x: number): number {
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const v = Number(f.toPrecision(p));
    if (Math.fround(v) === f) return v;
  }
  return f;
}


/** The axis `a` of an ONNX tensor in `layout` is its channel axis. */
export function isChannelAxis(t: TensorValue, a: number): boolean {
  const rank = t.layout === 'flat' ? 2 : 4;
  const ax = a < 0 ? a + rank : a;
  return t.layout === 'nchw' ? ax === 1 : ax === rank - 1;
}

/**
 * A `dense` (flat input) or 1×1 `conv2d` (a channels-last map: a Linear after ConvNeXt's permute) of `units`,
 * weight `at(i, u)` for input `i` in PyTorch's order. A flat input in C·H·W order has its rows put in H·W·C order.
 */
export function dense(
  ctx: ImportContext, n: OnnxNodeProto, x: TensorValue, inputs: number, units: number,
  at: (i: number, u: number) => number, bias: Constant | undefined, out: string,
): void {
  const c = x.shape[x.shape.length - 1];
  if (c !== inputs) throw new Refusal(`a weight for ${inputs} inputs on ${c}`);
  const kernel = new Float32Array(inputs * units);
  const chw = x.chwOf;
  for (let i = 0; i < inputs; i++) {
    // Convas's row i is PyTorch's row: H·W·C index i = (y·W + x)·C + ch ↔ C·H·W index ch·H·W + y·W + x
    const src = chw ? (i % chw[2]) * chw[0] * chw[1] + Math.floor(i / chw[2]) : i;
    for (let u = 0; u < units; u++) kernel[i * units + u] = at(src, u);
  }
  const b = bias ? { bias: { shape: [units], data: Float32Array.from(bias.data) } } : {};
  if (x.layout === 'flat') {
    const id = ctx.add('dense', { units, useBias: !!bias, activation: 'linear' }, [x], n, { kernel: { shape: [inputs, units], data: kernel }, ...b });
    return ctx.set(out, { tensor: { node: id, layout: 'flat', shape: [units] } });
  }
  if (x.layout !== 'nhwc') throw new Refusal('a matrix product over the width of a map');
  const params = { filters: units, kernelSize: [1, 1], strides: [1, 1], padding: 'valid', dilation: [1, 1], groups: 1, useBias: !!bias, activation: 'linear' };
  const id = ctx.add('conv2d', params, [x], n, { kernel: { shape: [1, 1, inputs, units], data: kernel }, ...b });
  ctx.set(out, { tensor: { node: id, layout: 'nhwc', shape: [x.shape[0], x.shape[1], units] } });
}

/** A `layerNorm` over the channels of `x` (a channels-last map or a flat vector). */
export function layerNorm(ctx: ImportContext, n: OnnxNodeProto, x: TensorValue, epsilon: number, gamma: Constant, beta: Constant | undefined, out: string): void {
  const c = x.shape[x.shape.length - 1];
  const full = (k: Constant | undefined, fill: number): WeightTensor => ({
    shape: [c], data: k ? Float32Array.from({ length: c }, (_, i) => k.data[k.data.length === 1 ? 0 : i]) : new Float32Array(c).fill(fill),
  });
  if (gamma.data.length !== c && gamma.data.length !== 1) throw new Refusal(`a scale of ${gamma.data.length} values on ${c} channels`);
  const id = ctx.add('layerNorm', { epsilon: shortFloat(epsilon) }, [x], n, { gamma: full(gamma, 1), beta: full(beta, 0) });
  ctx.set(out, { tensor: { ...x, node: id } });
}

/** Per-channel values of a constant broadcast against `x`, or null when it is not one value per channel. */
export function perChannel(k: Constant, x: TensorValue): Float32Array | null {
  const c = x.shape[x.shape.length - 1];
  const d = k.dims.filter((_, i, all) => i >= all.length - (x.layout === 'flat' ? 2 : 4));
  const rank = x.layout === 'flat' ? 2 : 4;
  const padded = [...new Array(rank - d.length).fill(1), ...d];
  const want = x.layout === 'nchw' ? [1, c, 1, 1] : x.layout === 'nhwc' ? [1, 1, 1, c] : [1, c];
  if (padded.join() !== want.join()) return null;
  return Float32Array.from(k.data);
}

/** Two attribute values agree to float32 precision (ONNX stores float attributes as float32). */
export const same = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
