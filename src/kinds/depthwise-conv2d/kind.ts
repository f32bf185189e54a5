import { formatInt } from '../../contract/format.ts';
import { defineLayer, type KernelAndBias } from '../../contract/layer-kind.ts';
import {
  convReceptiveField, convSlidingWindow, depthwiseOutput, depthwiseSpecs, explainWindow, padWord, windowOfConv, windowOutput, windowText,
} from '../common.ts';

export const depthwiseConv2d = defineLayer({
  kind: 'depthwiseConv2d',
  title: 'Depthwise conv',
  category: 'convolution',
  doc: 'One kh×kw filter per input channel (× depth multiplier): spatial filtering without mixing channels.',
  params: depthwiseSpecs,
  arity: { min: 1, max: 1 },
  outputActivation: (p) => p.activation,
  outputShape([x], p) {
    const r = depthwiseOutput(x, p);
    return 'shape' in r ? r.shape : r.problem;
  },
  counts({ params: p, inputs: [x], output }) {
    const cout = x[2] * p.depthMultiplier;
    return {
      trainable: p.kernelSize[0] * p.kernelSize[1] * cout + (p.useBias ? cout : 0),
      nonTrainable: 0,
      macs: output[0] * output[1] * cout * p.kernelSize[0] * p.kernelSize[1],
    };
  },
  receptiveField: ({ params: p, inputs: [x] }) => convReceptiveField(p, x),
  slidingWindow: convSlidingWindow,
  summary: (p) => `dw ${windowText(p.kernelSize, p.strides)}${padWord(p.padding)}${p.depthMultiplier > 1 ? ` ×${p.depthMultiplier}` : ''}`,
  explain({ params: p, inputs: [x], output }) {
    const cout = x[2] * p.depthMultiplier;
    const dm = p.depthMultiplier > 1 ? `·${p.depthMultiplier}` : '';
    const r = windowOutput(x, windowOfConv(p));
    return [
      `params = ${p.kernelSize[0]}·${p.kernelSize[1]}·${x[2]}${dm}${p.useBias ? ` + ${cout}` : ''} = ${formatInt(p.kernelSize[0] * p.kernelSize[1] * cout + (p.useBias ? cout : 0))}`,
      ...('res' in r ? explainWindow(x, windowOfConv(p), r.res) : []),
      `MACs = ${output[0]}·${output[1]}·${x[2]}${dm}·${p.kernelSize[0]}·${p.kernelSize[1]} = ${formatInt(output[0] * output[1] * cout * p.kernelSize[0] * p.kernelSize[1])}`,
    ];
  },
  // kernel [kh, kw, Cin, dm] (output channel c·dm + m), bias [Cin·dm] when useBias; fanIn kh·kw, fanOut kh·kw·dm
  initialWeights({ params: p, inputShape, draw }) {
    const [kh, kw] = p.kernelSize;
    const cin = inputShape[inputShape.length - 1];
    const w: KernelAndBias = { kernel: draw.glorot([kh, kw, cin, p.depthMultiplier], kh * kw, kh * kw * p.depthMultiplier) };
    if (p.useBias) w.bias = draw.bias(cin * p.depthMultiplier);
    return w;
  },
});
