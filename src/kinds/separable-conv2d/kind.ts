import { formatInt, formatPairShort } from '../../contract/format.ts';
import { defineLayer, type WeightTensor } from '../../contract/layer-kind.ts';
import {
  checkDims, convReceptiveField, convSlidingWindow, depthwiseOutput, depthwiseSpecs, explainWindow, filtersSpec, padWord, windowOfConv,
  windowOutput, windowText,
} from '../common.ts';

/**
 * A depthwise separable convolution, Keras's `SeparableConv2D` (Chollet 2017, Xception): a depthwise kh×kw
 * convolution with `depthMultiplier` filters per input channel (no bias of its own), then a pointwise 1×1
 * convolution from the Cin·dm depthwise channels to `filters`, with the bias and the activation.
 *
 * - params = kh·kw·Cin·dm (depthwise) + Cin·dm·filters (pointwise) + filters (bias);
 * - MACs = Ho·Wo·Cin·dm·kh·kw + Ho·Wo·Cin·dm·filters;
 * - the receptive field moves as the kh×kw window does (the 1×1 adds nothing).
 *
 * Weights, in Keras's layouts: `depthwiseKernel` [kh, kw, Cin, dm] (depthwise output channel c·dm + m, as
 * `depthwiseConv2d`), `pointwiseKernel` [1, 1, Cin·dm, filters], `bias` [filters] when useBias.
 */
/** A separable conv's weights (Keras's roles): the depthwise and pointwise kernels, and the bias where `useBias`. */
export interface SeparableWeights {
  depthwiseKernel: WeightTensor;
  pointwiseKernel: WeightTensor;
  bias?: WeightTensor;
}

export const separableConv2d = defineLayer({
  kind: 'separableConv2d',
  title: 'Separable conv',
  category: 'convolution',
  doc: 'A depthwise kh×kw conv (× depth multiplier) then a 1×1 conv to the filters: far fewer weights than a full conv.',
  params: { filters: filtersSpec, ...depthwiseSpecs },
  arity: { min: 1, max: 1 },
  outputActivation: (p) => p.activation,
  outputShape([x], p) {
    const mid = depthwiseOutput(x, p);
    if ('problem' in mid) return mid.stage === 'window' ? mid.problem : `its depthwise part: ${mid.problem}`;
    return checkDims([mid.shape[0], mid.shape[1], p.filters]);
  },
  counts({ params: p, inputs: [x], output }) {
    const [kh, kw] = p.kernelSize;
    const mid = x[2] * p.depthMultiplier;
    return {
      trainable: kh * kw * mid + mid * p.filters + (p.useBias ? p.filters : 0),
      nonTrainable: 0,
      macs: output[0] * output[1] * mid * (kh * kw + p.filters),
    };
  },
  receptiveField: ({ params: p, inputs: [x] }) => convReceptiveField(p, x),
  slidingWindow: convSlidingWindow,
  // PyTorch writes the depthwise and pointwise convs as two modules with parameters: the depthwise output counts too
  innerOutputs({ params: p, inputs: [x] }) {
    const mid = depthwiseOutput(x, p);
    if ('problem' in mid) throw new Error(mid.problem); // outputShape reported it first: the analysis runs it before
    return [mid.shape];
  },
  summary(p) {
    const dm = p.depthMultiplier > 1 ? ` ×${p.depthMultiplier}` : '';
    const d = p.dilation[0] > 1 || p.dilation[1] > 1 ? ` d${formatPairShort(p.dilation)}` : '';
    return `sep ${windowText(p.kernelSize, p.strides)}${padWord(p.padding)}${dm} · ${p.filters}${d}`;
  },
  explain({ params: p, inputs: [x], output }) {
    const [kh, kw] = p.kernelSize;
    const cin = x[2];
    const mid = cin * p.depthMultiplier;
    const midText = p.depthMultiplier > 1 ? `${cin}·${p.depthMultiplier}` : String(cin);
    const window = windowOfConv(p);
    const r = windowOutput(x, window);
    const total = kh * kw * mid + mid * p.filters + (p.useBias ? p.filters : 0);
    return [
      `params = ${kh}·${kw}·${midText} + ${midText}·${p.filters}${p.useBias ? ` + ${p.filters}` : ''} = ${formatInt(total)}  (depthwise + pointwise${p.useBias ? ' + bias' : ''})`,
      ...('res' in r ? explainWindow(x, window, r.res) : []),
      `MACs = ${output[0]}·${output[1]}·${midText}·(${kh}·${kw} + ${p.filters}) = ${formatInt(output[0] * output[1] * mid * (kh * kw + p.filters))}`,
    ];
  },
  initialWeights({ params: p, inputShape, draw }) {
    const [kh, kw] = p.kernelSize;
    const cin = inputShape[inputShape.length - 1];
    const mid = cin * p.depthMultiplier;
    // Glorot fans as for depthwiseConv2d (kh·kw in, kh·kw·dm out) and for a 1×1 conv (Cin·dm in, filters out).
    const w: SeparableWeights = {
      depthwiseKernel: draw.glorot([kh, kw, cin, p.depthMultiplier], kh * kw, kh * kw * p.depthMultiplier),
      pointwiseKernel: draw.glorot([1, 1, mid, p.filters], mid, p.filters),
    };
    if (p.useBias) w.bias = draw.bias(p.filters);
    return w;
  },
});
