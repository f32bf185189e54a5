/**
 * The ONNX reader's single-operator rules (docs/interop.md#onnx-import): one ONNX node → one design node (or
 * none: a Transpose between the map layouts, Identity, Dropout, a Pad folded into the window after it). Each
 * throws a `Refusal` in the words on screen where Convas cannot express the node exactly.
 *
 * Weight layouts (engine/initial-weights.ts): conv kernels OIHW → HWIO; a depthwise kernel `[C·dm, 1, kh, kw]` →
 * `[kh, kw, C, dm]` (output channel c·dm + m); Gemm's `[units, N]` (transB) → `[N, units]`, its rows put in
 * Convas's H·W·C order where a flatten of a map feeds it; batch norm's scale, bias, mean and variance as gamma,
 * beta, moving mean and moving variance.
 */

import { window2d, type Shape } from '../../engine/index.ts';
import type { WeightTensor } from '../../engine/initial-weights.ts';
import { Attrs, type Constant, type OnnxNodeProto } from './onnx-model.ts';
import {
  dense, isChannelAxis, layerNorm, onnxDims, perChannel, Refusal, same, shortFloat, type ImportContext, type TensorValue,
} from './onnx-context.ts';

const ACTIVATIONS: Record<string, string> = {
  Relu: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', Softplus: 'softplus', HardSwish: 'hardSwish', Selu: 'selu',
};

/** The activation node of `fn` on input 0 of `n`, its output set. */
function activation(ctx: ImportContext, n: OnnxNodeProto, fn: string, extra: Record<string, unknown> = {}) {
  const x = ctx.tensor(n.input![0]);
  ctx.set(n.output![0], { tensor: { ...x, pad: undefined, node: ctx.add('activation', { fn, ...extra }, [x], n) } });
}

/** Converts one ONNX node (no pattern matched it). @throws Refusal */
export function convertNode(ctx: ImportContext, n: OnnxNodeProto, attrs: Attrs): void {
  const op = n.opType ?? '';
  const out = n.output![0];
  const ins = n.input ?? [];
  if (ACTIVATIONS[op]) {
    if (op === 'Selu' && (attrs.has('alpha') || attrs.has('gamma'))) throw new Refusal('a SELU with its own alpha or gamma has no Convas kind');
    return activation(ctx, n, ACTIVATIONS[op]);
  }
  switch (op) {
    case 'Identity': case 'Dropout': {
      // Dropout does nothing at inference (its mask output, if read, is refused where it is read)
      const v = ctx.value(ins[0]);
      if (!v) throw new Refusal('no input');
      ctx.set(out, v);
      return;
    }
    case 'LeakyRelu': return activation(ctx, n, 'leakyRelu', { alpha: shortFloat(attrs.float('alpha', 0.01)) });
    case 'Elu':
      if (!same(attrs.float('alpha', 1), 1)) throw new Refusal(`ELU with alpha ${shortFloat(attrs.float('alpha', 1))}: Convas's elu has alpha 1`);
      return activation(ctx, n, 'elu');
    case 'HardSigmoid':
      if (!same(attrs.float('alpha', 0.2), 1 / 6) || !same(attrs.float('beta', 0.5), 0.5)) {
        throw new Refusal(`HardSigmoid with alpha ${shortFloat(attrs.float('alpha', 0.2))} and beta ${shortFloat(attrs.float('beta', 0.5))}: Convas's hardSigmoid is PyTorch's (alpha 1/6, beta 0.5)`);
      }
      return activation(ctx, n, 'hardSigmoid');
    case 'Clip': {
      const lo = ins[1] ? ctx.constant(ins[1], 'its minimum').data[0] : ctx.opset < 11 ? attrs.float('min', -Infinity) : -Infinity;
      const hi = ins[2] ? ctx.constant(ins[2], 'its maximum').data[0] : ctx.opset < 11 ? attrs.float('max', Infinity) : Infinity;
      if (lo === 0 && hi === 6) return activation(ctx, n, 'relu6');
      if (lo === 0 && hi === Infinity) return activation(ctx, n, 'relu');
      throw new Refusal(`Clip(${lo}, ${hi}): only Clip(0, 6) (relu6) and Clip(0) (relu) have a Convas kind`);
    }
    case 'Softmax': {
      const x = ctx.tensor(ins[0]);
      const axis = attrs.int('axis', ctx.opset >= 13 ? -1 : 1);
      // before opset 13 Softmax flattens from `axis` on: over channels only where nothing follows them
      const channelsOnly = isChannelAxis(x, axis) && (ctx.opset >= 13 || x.layout === 'flat' || x.layout === 'nhwc' || x.shape[0] * x.shape[1] === 1);
      if (!channelsOnly) throw new Refusal(`Softmax over axis ${axis}: Convas's softmax is over the channels`);
      return activation(ctx, n, 'softmax');
    }
    case 'Conv': return convertConv(ctx, n, attrs);
    case 'MaxPool': case 'AveragePool': return convertPool(ctx, n, attrs);
    case 'GlobalAveragePool': case 'GlobalMaxPool': {
      const x = ctx.tensor(ins[0]);
      if (x.layout !== 'nchw') throw new Refusal('a global pool of a channels-last tensor');
      const kind = op === 'GlobalAveragePool' ? 'globalAvgPool' : 'globalMaxPool';
      ctx.set(out, { tensor: { node: ctx.add(kind, { keepDims: true }, [x], n), layout: 'nchw', shape: [1, 1, x.shape[2]] } });
      return;
    }
    case 'ReduceMean': case 'ReduceMax': {
      const x = ctx.tensor(ins[0]);
      const axes = (ins[1] ? Array.from(ctx.constant(ins[1], 'its axes').data) : attrs.ints('axes') ?? []).map((a) => (a < 0 ? a + 4 : a)).sort();
      const keep = attrs.int('keepdims', 1) === 1;
      if (x.layout !== 'nchw' || axes.join() !== '2,3') throw new Refusal(`${op} over axes [${axes}]: Convas reduces a map over its height and width (a global pool), or normalizes over channels (a layer norm)`);
      const kind = op === 'ReduceMean' ? 'globalAvgPool' : 'globalMaxPool';
      const c = x.shape[2];
      ctx.set(out, { tensor: { node: ctx.add(kind, { keepDims: keep }, [x], n), layout: keep ? 'nchw' : 'flat', shape: keep ? [1, 1, c] : [c] } });
      return;
    }
    case 'Flatten': {
      const x = ctx.tensor(ins[0]);
      if (attrs.int('axis', 1) !== 1) throw new Refusal(`Flatten from axis ${attrs.int('axis', 1)}: Convas flattens all but the batch`);
      return flatten(ctx, n, x);
    }
    case 'Reshape': {
      const x = ctx.tensor(ins[0]);
      const target = Array.from(ctx.constant(ins[1], 'its shape').data);
      const size = x.shape.reduce((a, b) => a * b, 1);
      if (target.length === 2 && (target[1] === -1 || target[1] === size) && [0, 1, -1].includes(target[0])) return flatten(ctx, n, x);
      throw new Refusal(`Reshape to [${target}]: Convas reshapes only to flatten (and a channel shuffle's Reshape/Transpose/Reshape)`);
    }
    case 'Transpose': {
      const x = ctx.tensor(ins[0]);
      const perm = (attrs.ints('perm') ?? []).join();
      // ConvNeXt's permutes: the same map, read in the other order
      if (x.layout === 'nchw' && perm === '0,2,3,1') return ctx.set(out, { tensor: { ...x, layout: 'nhwc' } });
      if (x.layout === 'nhwc' && perm === '0,3,1,2') return ctx.set(out, { tensor: { ...x, layout: 'nchw' } });
      throw new Refusal(`Transpose [${perm}]: Convas moves channels last and back (ConvNeXt's permutes) or shuffles them`);
    }
    case 'Gemm': return convertGemm(ctx, n, attrs);
    case 'BatchNormalization': {
      const x = ctx.tensor(ins[0]);
      if (attrs.int('training_mode', 0) !== 0 || (n.output?.length ?? 1) > 1) throw new Refusal('batch norm in training mode (export the model in eval mode)');
      if (x.layout === 'nhwc') throw new Refusal('batch norm of a channels-last tensor');
      const c = x.shape[x.shape.length - 1];
      const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((k) => ctx.constant(ins[k], 'its statistics'));
      const t = (k: Constant): WeightTensor => ({ shape: [c], data: Float32Array.from(k.data) });
      const w = { gamma: t(gamma), beta: t(beta), movingMean: t(mean), movingVariance: t(variance) };
      const params = { epsilon: shortFloat(attrs.float('epsilon', 1e-5)), momentum: shortFloat(attrs.float('momentum', 0.9)) };
      ctx.set(out, { tensor: { ...x, node: ctx.add('batchNorm', params, [x], n, w) } });
      return;
    }
    case 'LayerNormalization': {
      const x = ctx.tensor(ins[0]);
      if (!isChannelAxis(x, attrs.int('axis', -1)) || x.layout === 'nchw') throw new Refusal('a layer norm over more than the channels (Convas normalizes the C values of each pixel)');
      return layerNorm(ctx, n, x, attrs.float('epsilon', 1e-5), ctx.constant(ins[1], 'its scale'), ins[2] ? ctx.constant(ins[2], 'its bias') : undefined, out);
    }
    case 'Add': case 'Mul': return convertBinary(ctx, n, op);
    case 'Concat': {
      const xs = ins.map((i) => ctx.tensor(i));
      if (!xs.every((x) => x.layout === xs[0].layout && isChannelAxis(x, attrs.int('axis', 0)))) throw new Refusal(`Concat on axis ${attrs.int('axis', 0)}: Convas concatenates channels`);
      if (xs.some((x) => x.chwOf)) throw new Refusal('a concat of flattened maps in PyTorch\'s channel-first order');
      const c = xs.reduce((s, x) => s + x.shape[x.shape.length - 1], 0);
      ctx.set(out, { tensor: { ...xs[0], node: ctx.add('concat', {}, xs, n), shape: [...xs[0].shape.slice(0, -1), c] } });
      return;
    }
    case 'Slice': return convertSlice(ctx, n);
    case 'Split': return convertSplit(ctx, n, attrs);
    case 'Pad': return convertPad(ctx, n, attrs);
    case 'Resize': case 'Upsample':
      throw new Refusal('upsampling needs the upsample2d kind, which this build of Convas does not have yet');
    case 'ConvTranspose':
      throw new Refusal('a transposed convolution needs the conv2dTranspose kind, which this build of Convas does not have yet');
    default:
      throw new Refusal('Convas has no kind for this operator');
  }
}

/** Flatten (or a Reshape to `[1, N]`): a global pool's keep-dims output feeding only it becomes the flat pool. */
function flatten(ctx: ImportContext, n: OnnxNodeProto, x: TensorValue): void {
  const out = n.output![0];
  if (x.layout === 'flat') return ctx.set(out, { tensor: x });
  if (x.layout === 'nhwc') throw new Refusal('a flatten of a channels-last tensor');
  const size = x.shape.reduce((a, b) => a * b, 1);
  const src = ctx.designNode(x.node);
  const onlyReader = ctx.readers(n.input![0]).length === 1;
  // a global pool keeping its dims (the only kind with the param) gives the flat [C] itself
  if (onlyReader && src.params.keepDims === true) {
    src.params = { ...src.params, keepDims: false };
    return ctx.set(out, { tensor: { node: x.node, layout: 'flat', shape: [size] } });
  }
  const chw = x.shape[0] * x.shape[1] > 1 ? { chwOf: x.shape } : {};
  ctx.set(out, { tensor: { node: ctx.add('flatten', {}, [x], n), layout: 'flat', shape: [size], ...chw } });
}

/** ONNX pads `[top, left, bottom, right]` are the ones TensorFlow's 'same' gives on an `[H, W, …]` input. */
function isTfSame(pads: number[], x: Shape, kernel: [number, number], stride: [number, number], dilation: [number, number]): boolean {
  const s = window2d(x[0], x[1], { kernel, stride, dilation, padding: 'same', ceilMode: false });
  return 'ok' in s && [...s.ok.before, ...s.ok.after].join() === pads.join();
}

/** The Convas padding of ONNX pads `[top, left, bottom, right]` on an `h`×`w` input, or null where none is exact. */
function paddingOf(pads: number[], h: number, w: number, kernel: [number, number], stride: [number, number], dilation: [number, number]) {
  const [t, l, b, r] = pads;
  if (t === b && l === r) return t === 0 && l === 0 ? 'valid' : [t, l] as [number, number];
  // TensorFlow's 'same' puts the odd cell after: exact when these pads are the ones it computes
  return isTfSame(pads, [h, w], kernel, stride, dilation) ? 'same' : null;
}

/** The pads of a window operator: `pads`, or `auto_pad` SAME_UPPER (TensorFlow's 'same'), plus a folded Pad. */
function windowPads(attrs: Attrs, x: TensorValue): number[] | 'same' {
  const auto = attrs.string('auto_pad', 'NOTSET');
  if (auto === 'SAME_UPPER' && !x.pad) return 'same';
  if (auto !== 'NOTSET' && auto !== 'VALID') throw new Refusal(`auto_pad ${auto}: Convas's 'same' is SAME_UPPER`);
  const p = attrs.ints('pads') ?? [0, 0, 0, 0];
  if (p.length !== 4) throw new Refusal('a window that is not 2-D');
  const extra = x.pad ?? [0, 0, 0, 0];
  return p.map((v, i) => v + extra[i]);
}

const pair = (v: number[] | undefined, fallback: number): [number, number] => (v && v.length === 2 ? [v[0], v[1]] : [fallback, fallback]);

function convertConv(ctx: ImportContext, n: OnnxNodeProto, attrs: Attrs): void {
  const ins = n.input!;
  let x = ctx.tensor(ins[0], true);
  if (x.layout !== 'nchw') throw new Refusal('a convolution of a tensor that is not NCHW');
  const w = ctx.constant(ins[1], 'its weight');
  if (w.dims.length !== 4) throw new Refusal('a convolution that is not 2-D');
  const bias = ins[2] ? ctx.constant(ins[2], 'its bias') : undefined;
  const [o, ig, kh, kw] = w.dims;
  const group = attrs.int('group', 1);
  const kernel: [number, number] = [kh, kw];
  const stride = pair(attrs.ints('strides'), 1);
  const dilation = pair(attrs.ints('dilations'), 1);
  let pads = windowPads(attrs, x);
  let padding = pads === 'same' ? 'same' : paddingOf(pads, x.shape[0] + 0, x.shape[1], kernel, stride, dilation);
  if (padding === null && x.pad) {
    // the folded Pad as its own layer, the conv's own pads on what it gives
    x = ctx.tensor(ins[0]);
    pads = windowPads(attrs, x);
    padding = pads === 'same' ? 'same' : paddingOf(pads, x.shape[0], x.shape[1], kernel, stride, dilation);
  }
  if (padding === null) throw new Refusal(`pads [${pads}] are neither symmetric nor TensorFlow's 'same'`);
  const cin = x.shape[2];
  if (cin !== ig * group) throw new Refusal(`a weight of [${w.dims}] on ${cin} channels in ${group} groups`);
  const common = { kernelSize: kernel, strides: stride, padding, dilation, useBias: !!bias, activation: 'linear' };
  const data = w.data as Float32Array;
  const b = bias ? { bias: { shape: [o], data: Float32Array.from(bias.data) } } : {};
  let id: string;
  if (group > 1 && group === cin && o % cin === 0) {
    const dm = o / cin;
    // [C·dm, 1, kh, kw] → [kh, kw, C, dm]: output channel c·dm + m
    const k = oihwToHwio(data, o, 1, kh, kw); // [kh, kw, 1, C·dm]: the same values as [kh, kw, C, dm]
    id = ctx.add('depthwiseConv2d', { ...common, depthMultiplier: dm }, [x], n, { kernel: { shape: [kh, kw, cin, dm], data: k }, ...b });
  } else {
    // OIHW → HWIO
    const k = oihwToHwio(data, o, ig, kh, kw);
    id = ctx.add('conv2d', { filters: o, ...common, groups: group }, [x], n, { kernel: { shape: [kh, kw, ig, o], data: k }, ...b });
  }
  const a = ctx.designNode(id);
  ctx.set(n.output![0], { tensor: { node: a.id, layout: 'nchw', shape: outShape(x.shape, kernel, stride, dilation, padding as never, false, o) } });
}

/**
 * A kernel `[O, I, kh, kw]` (PyTorch's OIHW) as `[kh, kw, I, O]` (HWIO). A depthwise kernel `[C·dm, 1, kh, kw]` comes
 * out as `[kh, kw, 1, C·dm]`, whose values in order are those of `[kh, kw, C, dm]` (output channel c·dm + m).
 * A function of its own so the engine optimizes its loop (a 25-million-weight ResNet-50 in a few tens of ms).
 */
function oihwToHwio(src: Float32Array, o: number, i: number, kh: number, kw: number): Float32Array {
  const dst = new Float32Array(src.length);
  const taps = kh * kw;
  // in 32×32 tiles of (O, I): a plain loop writes with a stride of O floats and misses the cache on every value
  const T = 32;
  for (let a0 = 0; a0 < o; a0 += T) {
    const a1 = Math.min(a0 + T, o);
    for (let b0 = 0; b0 < i; b0 += T) {
      const b1 = Math.min(b0 + T, i);
      for (let a = a0; a < a1; a++) {
        for (let b = b0; b < b1; b++) {
          const s = (a * i + b) * taps;
          for (let t = 0; t < taps; t++) dst[(t * i + b) * o + a] = src[s + t];
        }
      }
    }
  }
  return dst;
}

/** The output shape of a window over `[H, W, C]` (the contract's arithmetic), `c` channels out. */
function outShape(x: Shape, kernel: [number, number], stride: [number, number], dilation: [number, number], padding: 'valid' | 'same' | [number, number], ceilMode: boolean, c: number): Shape {
  const r = window2d(x[0], x[1], { kernel, stride, dilation, padding, ceilMode });
  if (!('ok' in r)) throw new Refusal('the window does not fit its input');
  return [r.ok.out[0], r.ok.out[1], c];
}

function convertPool(ctx: ImportContext, n: OnnxNodeProto, attrs: Attrs): void {
  const max = n.opType === 'MaxPool';
  if ((n.output?.length ?? 1) > 1 && n.output![1]) throw new Refusal('a max pool\'s indices output');
  // a zero Pad folds into an average pool that counts its padding (max pools pad with −∞: the Pad stays a layer)
  const includePad = !max && attrs.int('count_include_pad', 0) === 1;
  const own = attrs.ints('pads') ?? [0, 0, 0, 0];
  let x = ctx.tensor(n.input![0], !max && (includePad || own.every((p) => p === 0)));
  if (x.layout !== 'nchw') throw new Refusal('a pool of a tensor that is not NCHW');
  const kernel = pair(attrs.ints('kernel_shape'), 1);
  const stride = pair(attrs.ints('strides'), 1);
  if (pair(attrs.ints('dilations'), 1).join() !== '1,1') throw new Refusal('a dilated pool');
  const ceilMode = attrs.int('ceil_mode', 0) === 1;
  let pads = windowPads(attrs, x);
  const fits = (p: number[]) => p[0] * 2 <= kernel[0] && p[1] * 2 <= kernel[1];
  if (pads !== 'same' && x.pad && !(pads[0] === pads[2] && pads[1] === pads[3] && fits(pads))) {
    x = ctx.tensor(n.input![0]);
    pads = windowPads(attrs, x);
  }
  // padding counted in the average: ONNX's count_include_pad, or a zero Pad folded in (Convas's explicit padding)
  const counted = includePad || x.pad !== undefined;
  let padding: 'valid' | 'same' | [number, number] | null;
  if (pads === 'same') padding = 'same';
  else if (pads.every((p) => p === 0)) padding = 'valid';
  else if (!max && !counted) padding = isTfSame(pads, x.shape, kernel, stride, [1, 1]) ? 'same' : null;
  else {
    const p = paddingOf(pads, x.shape[0], x.shape[1], kernel, stride, [1, 1]);
    // TensorFlow's 'same' average leaves its padding out of the count
    padding = !max && p === 'same' ? null : p;
  }
  if (padding === null) throw new Refusal(`pads [${pads}]${max ? '' : ` with count_include_pad ${includePad ? 1 : 0}`} have no exact Convas padding`);
  if (padding === 'same' && ceilMode) throw new Refusal('ceil mode with TensorFlow\'s \'same\' padding');
  const params = { poolSize: kernel, strides: stride, padding, ceilMode };
  const id = ctx.add(max ? 'maxPool2d' : 'avgPool2d', params, [{ ...x, pad: undefined }], n);
  ctx.set(n.output![0], { tensor: { node: id, layout: 'nchw', shape: outShape(x.shape, kernel, stride, [1, 1], padding, ceilMode, x.shape[2]) } });
}

function convertGemm(ctx: ImportContext, n: OnnxNodeProto, attrs: Attrs): void {
  const ins = n.input!;
  const x = ctx.tensor(ins[0]);
  if (x.layout !== 'flat') throw new Refusal('a Gemm of a tensor that is not flat');
  if (attrs.int('transA', 0) !== 0 || !same(attrs.float('alpha', 1), 1) || !same(attrs.float('beta', 1), 1)) throw new Refusal('a Gemm with transA, alpha or beta set');
  const b = ctx.constant(ins[1], 'its weight');
  const transB = attrs.int('transB', 0) === 1;
  const [units, inputs] = transB ? b.dims : [b.dims[1], b.dims[0]];
  const bias = ins[2] ? ctx.constant(ins[2], 'its bias') : undefined;
  if (bias && bias.data.length !== units) throw new Refusal(`a bias of ${bias.data.length} values for ${units} units`);
  dense(ctx, n, x, inputs, units, (i, u) => b.data[transB ? u * inputs + i : i * units + u], bias, n.output![0]);
}

function convertBinary(ctx: ImportContext, n: OnnxNodeProto, op: 'Add' | 'Mul'): void {
  const [a, b] = n.input!.map((i) => ctx.value(i));
  const out = n.output![0];
  const ta = a && 'tensor' in a ? ctx.tensor(n.input![0]) : undefined;
  const tb = b && 'tensor' in b ? ctx.tensor(n.input![1]) : undefined;
  if (ta && tb) {
    const da = onnxDims(ta).join(), db = onnxDims(tb).join();
    if (da === db) {
      const id = ctx.add(op === 'Add' ? 'add' : 'multiply', {}, [ta, tb], n);
      return ctx.set(out, { tensor: { ...ta, pad: undefined, node: id } });
    }
    // a squeeze-and-excitation gate: the map times its [1, 1, C] gate
    const gate = (m: TensorValue, g: TensorValue) => m.layout === 'nchw' && g.layout === 'nchw' && g.shape[0] === 1 && g.shape[1] === 1 && g.shape[2] === m.shape[2];
    if (op === 'Mul' && (gate(ta, tb) || gate(tb, ta))) {
      const [m, g] = gate(ta, tb) ? [ta, tb] : [tb, ta];
      return ctx.set(out, { tensor: { ...m, pad: undefined, node: ctx.add('multiply', {}, [m, g], n) } });
    }
    throw new Refusal(`${op} of tensors shaped [${da}] and [${db}]`);
  }
  const x = ta ?? tb;
  const k = (ta ? b : a);
  if (!x || !k || !('const' in k)) throw new Refusal('no tensor input');
  const values = op === 'Mul' ? perChannel(k.const, x) : null;
  // ConvNeXt's layer scale: one learned factor per channel
  if (values && k.const.data.length > 1) {
    const id = ctx.add('scale', { initValue: 1 }, [x], n, { gamma: { shape: [values.length], data: values } });
    return ctx.set(out, { tensor: { ...x, pad: undefined, node: id } });
  }
  throw new Refusal(`${op} with a constant ${k.const.dims.length ? `of shape [${k.const.dims}]` : `${k.const.data[0]}`}: Convas adds tensors, and multiplies by one factor per channel (scale)`);
}

function sliceOf(ctx: ImportContext, n: OnnxNodeProto, x: TensorValue, start: number, size: number, out: string): void {
  const c = x.shape[x.shape.length - 1];
  if (start < 0 || size < 1 || start + size > c) throw new Refusal(`channels ${start} … ${start + size - 1} of ${c}`);
  if (start === 0 && size === c) return ctx.set(out, { tensor: x });
  const id = ctx.add('channelSlice', { start, size }, [x], n);
  ctx.set(out, { tensor: { ...x, pad: undefined, node: id, shape: [...x.shape.slice(0, -1), size] } });
}

function convertSlice(ctx: ImportContext, n: OnnxNodeProto): void {
  const ins = n.input!;
  const x = ctx.tensor(ins[0]);
  if (x.chwOf) throw new Refusal('a slice of a flattened map in PyTorch\'s channel-first order');
  const starts = Array.from(ctx.constant(ins[1], 'its starts').data);
  const ends = Array.from(ctx.constant(ins[2], 'its ends').data);
  const rank = x.layout === 'flat' ? 2 : 4;
  const axes = ins[3] ? Array.from(ctx.constant(ins[3], 'its axes').data) : starts.map((_, i) => i);
  const steps = ins[4] ? Array.from(ctx.constant(ins[4], 'its steps').data) : starts.map(() => 1);
  const dims = onnxDims(x);
  let slice: [number, number] | null = null;
  for (let k = 0; k < axes.length; k++) {
    const ax = axes[k] < 0 ? axes[k] + rank : axes[k];
    const d = dims[ax];
    const s = Math.min(Math.max(starts[k] < 0 ? starts[k] + d : starts[k], 0), d);
    const e = Math.min(Math.max(ends[k] < 0 ? ends[k] + d : ends[k], 0), d);
    if (s === 0 && e === d && steps[k] === 1) continue; // the whole axis
    if (!isChannelAxis(x, ax) || steps[k] !== 1) throw new Refusal(`a slice of axis ${axes[k]}${steps[k] !== 1 ? ` by step ${steps[k]}` : ''}: Convas slices channels`);
    slice = [s, e - s];
  }
  sliceOf(ctx, n, x, slice?.[0] ?? 0, slice?.[1] ?? x.shape[x.shape.length - 1], n.output![0]);
}

function convertSplit(ctx: ImportContext, n: OnnxNodeProto, attrs: Attrs): void {
  const ins = n.input!;
  const x = ctx.tensor(ins[0]);
  if (!isChannelAxis(x, attrs.int('axis', 0)) || x.chwOf) throw new Refusal(`a split of axis ${attrs.int('axis', 0)}: Convas splits channels`);
  const c = x.shape[x.shape.length - 1];
  const outs = n.output!;
  const sizes = ins[1] ? Array.from(ctx.constant(ins[1], 'its sizes').data) : attrs.ints('split') ?? outs.map(() => Math.ceil(c / outs.length));
  let start = 0;
  outs.forEach((o, k) => {
    const size = Math.min(sizes[k], c - start);
    sliceOf(ctx, n, x, start, size, o);
    start += size;
  });
}

function convertPad(ctx: ImportContext, n: OnnxNodeProto, attrs: Attrs): void {
  const ins = n.input!;
  const x = ctx.tensor(ins[0], true);
  const mode = attrs.string('mode', 'constant');
  if (mode !== 'constant') throw new Refusal(`${mode} padding: Convas pads with zeros`);
  const value = ins[2] ? ctx.constant(ins[2], 'its value').data[0] : attrs.float('value', 0);
  if (value !== 0) throw new Refusal(`padding with ${value}: Convas pads with zeros`);
  const p = ins[1] ? Array.from(ctx.constant(ins[1], 'its pads').data) : attrs.ints('pads') ?? [];
  if (x.layout !== 'nchw' || p.length !== 8 || p[0] || p[1] || p[4] || p[5]) throw new Refusal(`pads [${p}]: Convas pads height and width`);
  if (p.some((v) => v < 0)) throw new Refusal('a negative pad (a crop)');
  const prev = x.pad ?? [0, 0, 0, 0];
  const pad: [number, number, number, number] = [prev[0] + p[2], prev[1] + p[3], prev[2] + p[6], prev[3] + p[7]];
  // written when a reader cannot take it into its own padding (ImportContext.tensor)
  ctx.set(n.output![0], { tensor: { ...x, pad } });
}
