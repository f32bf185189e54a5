/**
 * The ONNX file as the reader sees it: the `onnx-proto` schema's decode (the one the ONNX export encodes with),
 * tensors as plain arrays, attributes by name, and the small constant evaluator that folds the shape arithmetic
 * `torch.onnx.export` writes (Shape → Gather → Unsqueeze → Concat → Reshape, the pads of `F.pad`, a `chunk`'s
 * split points). Pure TypeScript: no Node, no tfjs (the reader runs in a Web Worker).
 */

import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;

export type OnnxModel = ReturnType<typeof onnx.ModelProto.decode>;
export type OnnxNodeProto = OnnxModel['graph'] extends infer G ? NonNullable<G> extends { node?: (infer N)[] | null } ? N : never : never;

/** A constant tensor: its dims and values (float32 data or integers as JavaScript numbers). */
export interface Constant {
  dims: number[];
  data: Float32Array | number[];
  /** integer data (shapes, indices, pads) rather than float weights */
  int: boolean;
}

/** Why a file cannot be read at all (not a model, an external-data file); the message is for the person. */
export class OnnxReadError extends Error {}

type LongLike = number | { toNumber(): number };
/** An int64 field as a number (protobufjs gives a `Long` where the `long` package is present). */
export const num = (v: LongLike | null | undefined): number => (v == null ? 0 : typeof v === 'number' ? v : v.toNumber());

/**
 * Decodes an ONNX `ModelProto`.
 * @throws OnnxReadError when the bytes are not one, or it has no graph.
 */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  let model: OnnxModel;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new OnnxReadError(`not an ONNX model (${(e as Error).message})`);
  }
  if (!model.graph?.node?.length) throw new OnnxReadError('not an ONNX model: it has no graph');
  return model;
}

/** The opset of the default ONNX domain (`ai.onnx`), 1 where the file names none. */
export function defaultOpset(model: OnnxModel): number {
  for (const o of model.opsetImport ?? []) if (!o.domain || o.domain === 'ai.onnx') return num(o.version as LongLike);
  return 1;
}

/**
 * A `TensorProto` as a constant. Floats (float32, float64, float16 not included) become float32; integer types
 * become numbers.
 * @throws OnnxReadError for external data or a data type the reader does not take.
 */
export function tensorConstant(t: NonNullable<OnnxModel['graph']>['initializer'] extends (infer T)[] | null | undefined ? T : never): Constant {
  const dims = (t.dims ?? []).map((d) => num(d as LongLike));
  const n = dims.reduce((a, b) => a * b, 1);
  const raw = t.rawData && t.rawData.length ? t.rawData : null;
  if (t.externalData?.length) throw new OnnxReadError(`tensor ${t.name} keeps its data in an external file; save the model with its weights inside`);
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : null;
  switch (t.dataType) {
    case DT.FLOAT: {
      if (!view) return { dims, data: Float32Array.from(t.floatData ?? []), int: false };
      // ONNX stores little-endian, as every platform Convas runs on does: a view of the file's bytes where they
      // are aligned (the layout transforms copy them anyway), else a copy
      if (raw!.byteOffset % 4 === 0) return { dims, data: new Float32Array(raw!.buffer, raw!.byteOffset, n), int: false };
      const data = new Float32Array(n);
      new Uint8Array(data.buffer).set(raw!.subarray(0, 4 * n));
      return { dims, data, int: false };
    }
    case DT.DOUBLE: {
      if (!view) return { dims, data: Float32Array.from(t.doubleData ?? []), int: false };
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getFloat64(8 * i, true);
      return { dims, data, int: false };
    }
    case DT.INT64: {
      if (!view) return { dims, data: (t.int64Data ?? []).map((v) => num(v as LongLike)), int: true };
      const data: number[] = [];
      for (let i = 0; i < n; i++) data.push(Number(view.getBigInt64(8 * i, true)));
      return { dims, data, int: true };
    }
    case DT.INT32: case DT.INT8: case DT.UINT8: case DT.INT16: case DT.BOOL: {
      if (!view) return { dims, data: [...(t.int32Data ?? [])], int: true };
      const size = t.dataType === DT.INT32 ? 4 : t.dataType === DT.INT16 ? 2 : 1;
      const data: number[] = [];
      for (let i = 0; i < n; i++) {
        data.push(size === 4 ? view.getInt32(4 * i, true) : size === 2 ? view.getInt16(2 * i, true)
          : t.dataType === DT.INT8 ? view.getInt8(i) : view.getUint8(i));
      }
      return { dims, data, int: true };
    }
    default:
      throw new OnnxReadError(`tensor ${t.name} has data type ${t.dataType}, which Convas does not read`);
  }
}

type Attribute = NonNullable<OnnxNodeProto['attribute']>[number];

/** A node's attributes by name, with typed getters that fall back to ONNX's defaults. */
export class Attrs {
  private readonly byName = new Map<string, Attribute>();
  constructor(node: OnnxNodeProto) {
    for (const a of node.attribute ?? []) this.byName.set(a.name ?? '', a);
  }
  has(name: string): boolean {
    return this.byName.has(name);
  }
  int(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a ? num(a.i as LongLike) : fallback;
  }
  float(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a ? (a.f ?? 0) : fallback;
  }
  ints(name: string): number[] | undefined {
    const a = this.byName.get(name);
    return a ? (a.ints ?? []).map((v) => num(v as LongLike)) : undefined;
  }
  string(name: string, fallback: string): string {
    const a = this.byName.get(name);
    return a?.s ? new TextDecoder().decode(a.s) : fallback;
  }
  tensor(name: string): Constant | undefined {
    const a = this.byName.get(name);
    return a?.t ? tensorConstant(a.t) : undefined;
  }
}

const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
const strides = (dims: number[]) => {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1] * dims[i + 1];
  return s;
};
const axisOf = (a: number, rank: number) => (a < 0 ? a + rank : a);
const make = (dims: number[], values: number[], int: boolean): Constant => ({ dims, data: int ? values : Float32Array.from(values), int });

/** Numpy-style broadcast of two constants through `f`. */
function broadcast(a: Constant, b: Constant, f: (x: number, y: number) => number, int: boolean): Constant {
  const rank = Math.max(a.dims.length, b.dims.length);
  const pa = [...new Array(rank - a.dims.length).fill(1), ...a.dims];
  const pb = [...new Array(rank - b.dims.length).fill(1), ...b.dims];
  const dims = pa.map((d, i) => Math.max(d, pb[i]));
  const sa = strides(pa), sb = strides(pb), so = strides(dims);
  const out: number[] = [];
  for (let i = 0; i < size(dims); i++) {
    let ia = 0, ib = 0;
    for (let k = 0; k < rank; k++) {
      const c = Math.floor(i / so[k]) % dims[k];
      if (pa[k] !== 1) ia += c * sa[k];
      if (pb[k] !== 1) ib += c * sb[k];
    }
    out.push(f(a.data[ia], b.data[ib]));
  }
  return make(dims, out, int);
}

const ARITH: Record<string, (x: number, y: number, int: boolean) => number> = {
  Add: (x, y) => x + y,
  Sub: (x, y) => x - y,
  Mul: (x, y) => x * y,
  // ONNX's integer Div truncates (C's rule); PyTorch's shape arithmetic only divides non-negative sizes
  Div: (x, y, int) => (int ? Math.trunc(x / y) : x / y),
  Pow: (x, y) => x ** y,
};

/**
 * Folds one node whose inputs are all constants (`ins`, with `undefined` for an omitted optional input), or returns
 * null for an operator the evaluator does not know. Covers what PyTorch's exporter leaves unfolded around shapes.
 */
export function foldConstant(op: string, attrs: Attrs, ins: (Constant | undefined)[]): Constant | null {
  const [a, b] = ins;
  switch (op) {
    case 'Constant': {
      const t = attrs.tensor('value');
      if (t) return t;
      const ints = attrs.ints('value_ints');
      if (ints) return make([ints.length], ints, true);
      if (attrs.has('value_int')) return make([], [attrs.int('value_int', 0)], true);
      if (attrs.has('value_float')) return make([], [attrs.float('value_float', 0)], false);
      return null;
    }
    case 'Identity': return a ?? null;
    case 'Cast': {
      if (!a) return null;
      const to = attrs.int('to', DT.FLOAT);
      const int = to !== DT.FLOAT && to !== DT.DOUBLE && to !== DT.FLOAT16;
      return make(a.dims, Array.from(a.data, (v) => (int ? Math.trunc(v) : v)), int);
    }
    case 'ConstantOfShape': {
      if (!a) return null;
      const v = attrs.tensor('value') ?? make([1], [0], false);
      const dims = Array.from(a.data);
      return make(dims, new Array<number>(size(dims)).fill(v.data[0]), v.int);
    }
    case 'Add': case 'Sub': case 'Mul': case 'Div': case 'Pow': {
      if (!a || !b) return null;
      const int = a.int && b.int;
      return broadcast(a, b, (x, y) => ARITH[op](x, y, int), int);
    }
    case 'Sqrt': return a ? make(a.dims, Array.from(a.data, Math.sqrt), false) : null;
    case 'Neg': return a ? make(a.dims, Array.from(a.data, (v) => -v), a.int) : null;
    case 'Unsqueeze': case 'Squeeze': {
      if (!a) return null;
      const axes = b ? Array.from(b.data) : attrs.ints('axes') ?? [];
      let dims = [...a.dims];
      if (op === 'Unsqueeze') {
        const rank = dims.length + axes.length;
        for (const ax of axes.map((x) => axisOf(x, rank)).sort((x, y) => x - y)) dims.splice(ax, 0, 1);
      } else {
        const drop = new Set(axes.length ? axes.map((x) => axisOf(x, dims.length)) : dims.flatMap((d, i) => (d === 1 ? [i] : [])));
        dims = dims.filter((_, i) => !drop.has(i));
      }
      return { dims, data: a.data, int: a.int };
    }
    case 'Concat': {
      if (ins.some((x) => !x)) return null;
      const parts = ins as Constant[];
      const rank = parts[0].dims.length;
      const axis = axisOf(attrs.int('axis', 0), rank);
      if (rank !== 1 || axis !== 0) return null;
      return make([parts.reduce((s, p) => s + p.data.length, 0)], parts.flatMap((p) => Array.from(p.data)), parts.every((p) => p.int));
    }
    case 'Reshape': {
      if (!a || !b) return null;
      const target = Array.from(b.data);
      const known = target.reduce((s, d, i) => s * (d === -1 ? 1 : d === 0 ? a.dims[i] : d), 1);
      return { dims: target.map((d, i) => (d === -1 ? a.data.length / known : d === 0 ? a.dims[i] : d)), data: a.data, int: a.int };
    }
    case 'Flatten': {
      if (!a) return null;
      const axis = axisOf(attrs.int('axis', 1), a.dims.length);
      return { dims: [size(a.dims.slice(0, axis)), size(a.dims.slice(axis))], data: a.data, int: a.int };
    }
    case 'Gather': {
      if (!a || !b || a.dims.length !== 1) return null;
      const idx = Array.from(b.data, (i) => a.data[axisOf(i, a.dims[0])]);
      return make(b.dims, idx, a.int);
    }
    case 'Slice': {
      if (!a) return null;
      const list = (c: Constant | undefined) => (c ? Array.from(c.data) : undefined);
      const starts = list(ins[1]) ?? attrs.ints('starts') ?? [];
      const ends = list(ins[2]) ?? attrs.ints('ends') ?? [];
      const axes = list(ins[3]) ?? attrs.ints('axes') ?? starts.map((_, i) => i);
      const steps = list(ins[4]) ?? starts.map(() => 1);
      // each kept index along each axis, then the product
      const keep = a.dims.map((d) => Array.from({ length: d }, (_, i) => i));
      axes.forEach((ax0, k) => {
        const ax = axisOf(ax0, a.dims.length);
        const d = a.dims[ax];
        const step = steps[k];
        const clampIdx = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
        const s = step > 0 ? clampIdx(starts[k], 0, d) : clampIdx(starts[k], -1, d - 1);
        const e = step > 0 ? clampIdx(ends[k], 0, d) : clampIdx(ends[k], -1, d - 1);
        const idx: number[] = [];
        for (let i = s; step > 0 ? i < e : i > e; i += step) idx.push(i);
        keep[ax] = idx;
      });
      return gatherAll(a, keep);
    }
    case 'Transpose': {
      if (!a) return null;
      const perm = attrs.ints('perm') ?? a.dims.map((_, i) => a.dims.length - 1 - i);
      const dims = perm.map((p) => a.dims[p]);
      const si = strides(a.dims), so = strides(dims);
      const out: number[] = [];
      for (let i = 0; i < size(dims); i++) {
        let src = 0;
        for (let k = 0; k < dims.length; k++) src += (Math.floor(i / so[k]) % dims[k]) * si[perm[k]];
        out.push(a.data[src]);
      }
      return make(dims, out, a.int);
    }
    default:
      return null;
  }
}

/** The sub-tensor of `a` at the cross product of `keep[axis]` indices. */
function gatherAll(a: Constant, keep: number[][]): Constant {
  const dims = keep.map((k) => k.length);
  const si = strides(a.dims), so = strides(dims);
  const out: number[] = [];
  for (let i = 0; i < size(dims); i++) {
    let src = 0;
    for (let k = 0; k < dims.length; k++) src += keep[k][Math.floor(i / so[k]) % dims[k]] * si[k];
    out.push(a.data[src]);
  }
  return make(dims, out, a.int);
}
