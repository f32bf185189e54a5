import { formatInt, formatPair, formatPairShort } from '../../contract/format.ts';
import { defineLayer, type KernelAndBias, type RfPhasedStep } from '../../contract/layer-kind.ts';
import { MAX_WINDOW, type PaddingValue } from '../../contract/params.ts';
import type { Pair, Shape } from '../../contract/types.ts';
import { activationSpec, checkDims, filtersSpec, needImage, padWord, useBiasSpec, windowText } from '../common.ts';
import { axisPadding, transposedAxis, transposedRfAxis, type TransposedAxis } from './geometry.ts';

/** The resolved params the geometry reads. */
interface TransposedParams {
  kernelSize: Pair;
  strides: Pair;
  padding: PaddingValue;
  outputPadding: Pair;
}

/** Both axes of the layer on an `[H, W, C]` input (the shape rule has accepted the params). */
const axes = (x: Shape, p: TransposedParams): [TransposedAxis, TransposedAxis] => [0, 1].map((a) => transposedAxis({
  size: x[a], kernel: p.kernelSize[a], stride: p.strides[a], padding: axisPadding(p.padding, a as 0 | 1), outputPadding: p.outputPadding[a],
})) as [TransposedAxis, TransposedAxis];

/** `out H = (4 − 1)·2 − 2·1 + 3 + 1 = 8` for each distinct axis: the transposed output-size formula with this layer's numbers. */
function explainAxes(x: Shape, p: TransposedParams): string[] {
  const r = axes(x, p);
  const alike = x[0] === x[1] && p.kernelSize[0] === p.kernelSize[1] && p.strides[0] === p.strides[1]
    && axisPadding(p.padding, 0) === axisPadding(p.padding, 1) && p.outputPadding[0] === p.outputPadding[1];
  return (alike ? [0] : [0, 1]).map((a) => {
    const name = alike ? 'out' : a === 0 ? 'out H' : 'out W';
    const [n, k, s, op] = [x[a], p.kernelSize[a], p.strides[a], p.outputPadding[a]];
    const { full, crop, out } = r[a];
    if (p.padding === 'same') {
      const extra = out > full - crop ? `zero-extended by ${out - (full - crop)}` : `cut by ${full - crop - out}`;
      return `${name} = in·s = ${n}·${s} = ${out}  ('same': of the (${n} − 1)·${s} + ${k} = ${full} full ${a === 0 ? 'rows' : 'columns'}, the first ⌊max(${k} − ${s}, 0)/2⌋ = ${crop} dropped, the rest ${extra})`;
    }
    const pad = axisPadding(p.padding, a as 0 | 1);
    const crops = typeof pad === 'number' && pad > 0 ? ` − 2·${pad}` : '';
    const extend = op > 0 ? ` + ${op}` : '';
    return `${name} = (in − 1)·s${crops ? ' − 2·p' : ''} + k${extend ? ' + outputPadding' : ''} = (${n} − 1)·${s}${crops} + ${k}${extend} = ${out}`;
  });
}

export const conv2dTranspose = defineLayer({
  kind: 'conv2dTranspose',
  title: 'Conv 2D transpose',
  category: 'resampling',
  doc: 'A transposed convolution ("deconvolution", an up-convolution): each input pixel paints a kh×kw×filters kernel onto the output, stride pixels apart; overlaps add up.',
  params: {
    filters: filtersSpec,
    kernelSize: { type: 'int2', min: 1, max: MAX_WINDOW, initial: 3, label: 'Kernel size' },
    strides: { type: 'int2', min: 1, max: MAX_WINDOW, default: 1, label: 'Strides' },
    padding: {
      type: 'padding', default: 'valid', label: 'Padding',
      help: '"valid" (nothing cropped), "same" (output in·stride, TensorFlow\'s crop) or rows and columns cropped from each side (PyTorch\'s padding)',
    },
    outputPadding: {
      type: 'int2', min: 0, max: MAX_WINDOW - 1, default: 0, label: 'Output padding',
      help: 'rows and columns added at the end (bottom, right), smaller than the stride; not with "same"',
    },
    useBias: useBiasSpec,
    activation: activationSpec,
  },
  arity: { min: 1, max: 1 },
  outputActivation: (p) => p.activation,
  paletteVariants: [{
    key: 'conv2dTranspose-2x2s2', title: '2×2 up-conv /2', params: { kernelSize: 2, strides: 2 }, idBase: 'upconv',
    doc: 'A 2×2 transposed convolution with stride 2: doubles H and W, each output pixel from exactly one input pixel (U-Net\'s up-convolution).',
  }],
  outputShape([x], p) {
    const bad = needImage(x);
    if (bad) return bad;
    for (const a of [0, 1] as const) {
      const axis = a === 0 ? 'rows' : 'columns';
      if (p.outputPadding[a] >= p.strides[a]) {
        return `outputPadding ${formatPair(p.outputPadding)} must be smaller than the stride ${formatPair(p.strides)}: it adds ${axis} at the end that no input pixel could paint otherwise`;
      }
      if (p.padding === 'same' && p.outputPadding[a] > 0) {
        return `outputPadding ${formatPair(p.outputPadding)} does nothing with padding "same", whose output is always input × stride: set it to 0, or give the padding in pixels`;
      }
    }
    const r = axes(x, p);
    for (const a of [0, 1] as const) {
      if (r[a].out < 1) {
        return `padding ${typeof p.padding === 'string' ? p.padding : formatPair(p.padding)} crops ${2 * r[a].crop} of the ${r[a].full} ${a === 0 ? 'rows' : 'columns'} its ${x[0]}×${x[1]} input paints (kernel ${formatPair(p.kernelSize)}, stride ${formatPair(p.strides)}), leaving none`;
      }
    }
    return checkDims([r[0].out, r[1].out, p.filters]);
  },
  counts({ params: p, inputs: [x] }) {
    const taps = p.kernelSize[0] * p.kernelSize[1] * x[2] * p.filters;
    // every input pixel meets every tap once (ptflops's count of a deconvolution), cropped or not
    return { trainable: taps + (p.useBias ? p.filters : 0), nonTrainable: 0, macs: x[0] * x[1] * taps };
  },
  // each input cell scatters its kh×kw kernel, `strides` apart; `padding` is the crop (TensorFlow's rule for `same`)
  slidingWindow: (p) => ({
    direction: 'scatter', kernel: p.kernelSize, stride: p.strides, dilation: [1, 1], padding: p.padding, outputPadding: p.outputPadding, word: 'kernel',
  }),
  receptiveField({ params: p, inputs: [x] }): RfPhasedStep {
    const r = axes(x, p);
    return { phases: [transposedRfAxis(p.kernelSize[0], p.strides[0], r[0].crop), transposedRfAxis(p.kernelSize[1], p.strides[1], r[1].crop)] };
  },
  summary(p) {
    const op = p.outputPadding[0] > 0 || p.outputPadding[1] > 0 ? ` op${formatPairShort(p.outputPadding)}` : '';
    return `convT ${windowText(p.kernelSize, p.strides)}${padWord(p.padding)}${op} · ${p.filters}`;
  },
  explain({ params: p, inputs: [x] }) {
    const [kh, kw] = p.kernelSize;
    const cin = x[2];
    const bias = p.useBias ? ` + ${p.filters}` : '';
    return [
      `params = ${kh}·${kw}·${cin}·${p.filters}${bias} = ${formatInt(kh * kw * cin * p.filters + (p.useBias ? p.filters : 0))}`,
      ...explainAxes(x, p),
      `MACs = Hin·Win·Cin·kh·kw·filters = ${x[0]}·${x[1]}·${cin}·${kh}·${kw}·${p.filters} = ${formatInt(x[0] * x[1] * cin * kh * kw * p.filters)}  (every input pixel meets every tap once)`,
    ];
  },
  // kernel [kh, kw, filters, Cin] (Keras's and tfjs's Conv2DTranspose layout: output channels before input ones),
  // bias [filters] when useBias; Glorot's fans as Keras reads that shape: fanIn kh·kw·filters, fanOut kh·kw·Cin
  initialWeights({ params: p, inputShape, draw }) {
    const [kh, kw] = p.kernelSize;
    const cin = inputShape[inputShape.length - 1];
    const w: KernelAndBias = { kernel: draw.glorot([kh, kw, p.filters, cin], kh * kw * p.filters, kh * kw * cin) };
    if (p.useBias) w.bias = draw.bias(p.filters);
    return w;
  },
});
