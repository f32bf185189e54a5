/**
 * The ONNX reader's rules for the decoder operators (docs/interop.md#onnx-import), called from `convertNode`:
 * - `Resize` (opsets 11–17; `Upsample` before it) by integer factors → `upsample2d`: nearest where every output
 *   pixel i reads input pixel ⌊i/u⌋ (PyTorch's `nearest`: `asymmetric` with `floor`, as `torch.onnx.export` writes
 *   it), bilinear where ONNX samples at half-pixel centres (PyTorch's `align_corners=False`);
 * - `ConvTranspose` → `conv2dTranspose`, its pads read back into PyTorch's symmetric crop and `output_padding`, or
 *   TensorFlow's `same` (src/kinds/conv2d-transpose/geometry.ts holds the arithmetic of both);
 * - a `Slice` of H and W → `cropping2d` where it drops as many rows (and columns) at both ends.
 * Each throws a `Refusal` in the words on screen where Convas cannot give the same values.
 */

import type { Constant, OnnxNodeProto } from './onnx-model.ts';
import { Attrs } from './onnx-model.ts';
import { oihwToHwio, onnxDims, Refusal, type ImportContext, type TensorValue } from './onnx-context.ts';
import { transposedAxis } from '../../kinds/conv2d-transpose/geometry.ts';

const list = (c: Constant | undefined) => (c ? Array.from(c.data) : []);

/**
 * The input pixel ONNX's nearest `Resize` reads for output pixel `i` of an axis `size` → `out` long (`coordinate`
 * its `coordinate_transformation_mode`, `rounding` its `nearest_mode`), or null for a coordinate rule it does not
 * define for nearest. The ONNX operator's definition (onnx.ai Resize), written out for one axis.
 */
function nearestSource(coordinate: string, rounding: string, i: number, size: number, out: number): number | null {
  const scale = out / size;
  let x: number;
  switch (coordinate) {
    case 'asymmetric': x = i / scale; break;
    case 'half_pixel': x = (i + 0.5) / scale - 0.5; break;
    case 'pytorch_half_pixel': x = out > 1 ? (i + 0.5) / scale - 0.5 : 0; break;
    case 'tf_half_pixel_for_nn': x = (i + 0.5) / scale; break;
    case 'align_corners': x = out === 1 ? 0 : (i * (size - 1)) / (out - 1); break;
    default: return null;
  }
  const frac = x - Math.floor(x);
  const r = rounding === 'floor' ? Math.floor(x)
    : rounding === 'ceil' ? Math.ceil(x)
      : rounding === 'round_prefer_ceil' ? (frac === 0.5 ? Math.ceil(x) : Math.round(x))
        : frac === 0.5 ? Math.floor(x) : Math.round(x); // round_prefer_floor, ONNX's default
  return Math.min(Math.max(r, 0), size - 1);
}

/**
 * `Resize` (opsets 11–17: X, roi, scales, sizes; opset 10: X, scales) and `Upsample` (X, scales) → `upsample2d`.
 * The factors come from constant scales `[1, 1, sh, sw]` or sizes that are whole multiples of the input (PyTorch's
 * `F.interpolate(size=…)`, its Shape arithmetic folded). Factors of 1 are no layer at all.
 * @throws Refusal for a batch or channel resize, a factor that is not a whole number, cubic interpolation, and a
 * coordinate rule that does not give PyTorch's values (align_corners=True, linear `asymmetric`, nearest rounding).
 */
export function convertResize(ctx: ImportContext, n: OnnxNodeProto, attrs: Attrs): void {
  const ins = n.input!;
  const x = ctx.tensor(ins[0]);
  if (x.layout !== 'nchw') throw new Refusal('a resize of a tensor that is not NCHW [1, C, H, W]');
  const dims = onnxDims(x);
  const upsample = n.opType === 'Upsample';
  // Resize took (X, scales) in opset 10 and (X, roi, scales, sizes) from 11; Upsample (X, scales)
  const scalesName = upsample || ctx.opset < 11 ? ins[1] : ins[2];
  const scales = scalesName ? list(ctx.constant(scalesName, 'its scales')) : [];
  const sizes = !upsample && ins[3] ? list(ctx.constant(ins[3], 'its sizes')) : [];
  const out = scales.length ? dims.map((d, k) => Math.floor(d * scales[k])) : sizes;
  if (out.length !== 4) throw new Refusal('a resize without 4 scales or sizes (N, C, H, W)');
  if (out[0] !== dims[0] || out[1] !== dims[1]) throw new Refusal(`a resize of the batch or channels (to [${out}]): Convas upsamples height and width`);
  const factor = [2, 3].map((k) => (scales.length ? scales[k] : out[k] / dims[k]));
  if (!factor.every((f) => Number.isInteger(f) && f >= 1)) {
    const said = scales.length ? `scales [${scales.slice(2)}]` : `sizes ${out[2]}×${out[3]} from ${dims[2]}×${dims[3]}`;
    throw new Refusal(`${said}: Convas upsamples by whole factors (2, 3, …), not by ${factor.map((f) => +f.toFixed(4)).join(' × ')}`);
  }
  const mode = attrs.string('mode', 'nearest');
  const coordinate = upsample || ctx.opset < 11 ? 'asymmetric' : attrs.string('coordinate_transformation_mode', 'half_pixel');
  if (factor[0] === 1 && factor[1] === 1) return ctx.set(n.output![0], { tensor: x });
  let interpolation: 'nearest' | 'bilinear';
  if (mode === 'nearest') {
    const rounding = upsample || ctx.opset < 11 ? 'floor' : attrs.string('nearest_mode', 'round_prefer_floor');
    // exact where every output pixel reads the input pixel PyTorch's nearest reads, ⌊i/u⌋ (the rule is periodic)
    const exact = [0, 1].every((a) => Array.from({ length: 2 * factor[a] }, (_, i) => i).every(
      (i) => nearestSource(coordinate, rounding, i, dims[2 + a], out[2 + a]) === Math.min(Math.floor(i / factor[a]), dims[2 + a] - 1)));
    if (!exact) throw new Refusal(`nearest with coordinate_transformation_mode ${coordinate} and nearest_mode ${rounding}: Convas's nearest reads input pixel ⌊i/u⌋ (PyTorch's, asymmetric with floor)`);
    interpolation = 'nearest';
  } else if (mode === 'linear') {
    if (coordinate === 'align_corners') throw new Refusal('bilinear with align_corners=True: Convas\'s bilinear is PyTorch\'s align_corners=False (half-pixel centres)');
    if (coordinate !== 'half_pixel' && coordinate !== 'pytorch_half_pixel') {
      throw new Refusal(`linear with coordinate_transformation_mode ${coordinate}: Convas's bilinear samples at half-pixel centres (PyTorch's align_corners=False)`);
    }
    interpolation = 'bilinear';
  } else {
    throw new Refusal(`${mode} interpolation: Convas upsamples nearest or bilinear`);
  }
  const id = ctx.add('upsample2d', { size: factor, interpolation }, [x], n);
  ctx.set(n.output![0], { tensor: { node: id, layout: 'nchw', shape: [out[2], out[3], x.shape[2]] } });
}

const pair = (v: number[] | undefined, fallback: number): [number, number] => (v && v.length === 2 ? [v[0], v[1]] : [fallback, fallback]);

/**
 * `ConvTranspose` → `conv2dTranspose`, its weight `[Cin, Cout, kh, kw]` as the kind's `[kh, kw, Cout, Cin]`. ONNX
 * crops `begin` and `end` rows from the full output (in − 1)·s + k and adds `output_padding` at its end; Convas
 * crops p at both ends and adds outputPadding < s (PyTorch's form: p = begin, outputPadding = op + begin − end), or
 * takes TensorFlow's `same` (crop ⌊max(k − s, 0)/2⌋, out in·s).
 * @throws Refusal for groups, dilation, auto_pad or output_shape, and pads neither form expresses.
 */
export function convertConvTranspose(ctx: ImportContext, n: OnnxNodeProto, attrs: Attrs): void {
  const ins = n.input!;
  const x = ctx.tensor(ins[0]);
  if (x.layout !== 'nchw') throw new Refusal('a transposed convolution of a tensor that is not NCHW');
  const w = ctx.constant(ins[1], 'its weight');
  if (w.dims.length !== 4) throw new Refusal('a transposed convolution that is not 2-D');
  const [cin, cout, kh, kw] = w.dims;
  const group = attrs.int('group', 1);
  if (group !== 1) throw new Refusal(`a transposed convolution in ${group} groups: Convas's has one group`);
  const dilation = pair(attrs.ints('dilations'), 1);
  if (dilation[0] !== 1 || dilation[1] !== 1) throw new Refusal(`a transposed convolution with dilation ${dilation.join('×')}: Convas's has none`);
  const auto = attrs.string('auto_pad', 'NOTSET');
  if (auto !== 'NOTSET' && auto !== 'VALID') throw new Refusal(`auto_pad ${auto}: Convas reads a transposed convolution's explicit pads`);
  if (attrs.has('output_shape')) throw new Refusal('an output_shape attribute: Convas reads a transposed convolution\'s explicit pads');
  if (cin !== x.shape[2]) throw new Refusal(`a weight of [${w.dims}] on ${x.shape[2]} channels`);
  const kernel: [number, number] = [kh, kw];
  const stride = pair(attrs.ints('strides'), 1);
  const pads = auto === 'VALID' ? [0, 0, 0, 0] : attrs.ints('pads') ?? [0, 0, 0, 0];
  const extra = pair(attrs.ints('output_padding'), 0);
  if (pads.length !== 4) throw new Refusal('a transposed convolution that is not 2-D');
  const axes = [0, 1].map((a) => {
    const full = (x.shape[a] - 1) * stride[a] + kernel[a];
    const [begin, end] = [pads[a], pads[a + 2]];
    const out = full + extra[a] - begin - end;
    const outputPadding = extra[a] + begin - end;
    const same = transposedAxis({ size: x.shape[a], kernel: kernel[a], stride: stride[a], padding: 'same', outputPadding: 0 });
    return { out, begin, outputPadding, explicit: outputPadding >= 0 && outputPadding < stride[a], same: same.crop === begin && same.out === out };
  });
  if (axes.some((a) => a.out < 1)) throw new Refusal(`pads [${pads}] crop all of the output`);
  let padding: 'valid' | 'same' | [number, number];
  let outputPadding: [number, number] = [0, 0];
  if (axes.every((a) => a.explicit)) {
    padding = axes.every((a) => a.begin === 0) ? 'valid' : [axes[0].begin, axes[1].begin];
    outputPadding = [axes[0].outputPadding, axes[1].outputPadding];
  } else if (axes.every((a) => a.same)) {
    padding = 'same';
  } else {
    throw new Refusal(`pads [${pads}] with output_padding [${extra}]: Convas crops both ends alike and adds fewer rows than the stride at the end (PyTorch's padding and output_padding), or takes TensorFlow's 'same'`);
  }
  const bias = ins[2] ? ctx.constant(ins[2], 'its bias') : undefined;
  // [Cin, Cout, kh, kw] → [kh, kw, Cout, Cin]: oihwToHwio with Cin in the role of O
  const k = oihwToHwio(w.data as Float32Array, cin, cout, kh, kw);
  const params = { filters: cout, kernelSize: kernel, strides: stride, padding, outputPadding, useBias: !!bias, activation: 'linear' };
  const weights = { kernel: { shape: [kh, kw, cout, cin], data: k }, ...(bias ? { bias: { shape: [cout], data: Float32Array.from(bias.data) } } : {}) };
  const id = ctx.add('conv2dTranspose', params, [x], n, weights);
  ctx.set(n.output![0], { tensor: { node: id, layout: 'nchw', shape: [axes[0].out, axes[1].out, cout] } });
}

/**
 * Crops `[top, left, bottom, right]` rows and columns off map `x` as a `cropping2d` (the same at both ends of each
 * axis). A crop straight after another that nothing else reads joins it (crops add up; PyTorch's `x[:, :, a:-a, b:-b]`
 * is one Slice per axis).
 * @returns the cropped tensor
 * @throws Refusal where the two ends of an axis differ.
 */
export function crop(ctx: ImportContext, n: OnnxNodeProto, x: TensorValue, input: string, cut: [number, number, number, number]): TensorValue {
  const [top, left, bottom, right] = cut;
  if (top !== bottom || left !== right) {
    throw new Refusal(`a crop of ${top}, ${left} before and ${bottom}, ${right} after: Convas crops each side alike (cropping2d)`);
  }
  const shape: [number, number, number] = [x.shape[0] - top - bottom, x.shape[1] - left - right, x.shape[2]];
  const before = ctx.designNode(x.node);
  if (cropLayers.has(before) && ctx.readers(input).length === 1) {
    const [h, w] = before.params.cropping as [number, number];
    before.params = { ...before.params, cropping: [h + top, w + left] };
    return { ...x, shape };
  }
  const id = ctx.add('cropping2d', { cropping: [top, left] }, [x], n);
  cropLayers.add(ctx.designNode(id));
  return { node: id, layout: 'nchw', shape };
}

/** The crop layers `crop` wrote (weakly held: the design nodes of each import), which a crop straight after joins. */
const cropLayers = new WeakSet<object>();
