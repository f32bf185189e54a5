import { formatInt, formatPairShort } from '../../contract/format.ts';
import { defineLayer, type KernelAndBias } from '../../contract/layer-kind.ts';
import { MAX_DIM } from '../../contract/params.ts';
import {
  activationSpec, checkDims, convReceptiveField, convSlidingWindow, convWindowSpecs, explainWindow, filtersSpec, padWord, useBiasSpec,
  windowOfConv, windowOutput, windowText } from '../common.ts';

export const conv2d = defineLayer({
  kind: 'conv2d',
  title: 'Conv 2D',
  category: 'convolution',
  doc: 'A 2-D convolution: each filter slides a kh×kw×(Cin/groups) kernel over the input.',
  params: {
    filters: filtersSpec,
    ...convWindowSpecs,
    groups: { type: 'int', min: 1, max: MAX_DIM, default: 1, label: 'Groups' },
    useBias: useBiasSpec,
    activation: activationSpec,
  },
  arity: { min: 1, max: 1 },
  outputActivation: (p) => p.activation,
  paletteVariants: [{
    key: 'conv2d-1x1', title: '1×1 Conv', params: { kernelSize: 1 }, idBase: 'conv1x1',
    doc: 'A pointwise convolution: mixes channels without looking at neighbours (bottlenecks, projections).',
  }],
  outputShape([x], p) {
    const r = windowOutput(x, windowOfConv(p));
    if ('error' in r) return r.error;
    const cin = x[2];
    if (cin % p.groups !== 0) return `groups ${p.groups} does not divide its ${cin} input channels`;
    if (p.filters % p.groups !== 0) return `groups ${p.groups} does not divide its ${p.filters} filters`;
    return checkDims([r.res.out[0], r.res.out[1], p.filters]);
  },
  counts({ params: p, inputs: [x], output }) {
    const perFilter = p.kernelSize[0] * p.kernelSize[1] * (x[2] / p.groups);
    return {
      trainable: perFilter * p.filters + (p.useBias ? p.filters : 0),
      nonTrainable: 0,
      macs: output[0] * output[1] * p.filters * perFilter,
    };
  },
  receptiveField: ({ params: p, inputs: [x] }) => convReceptiveField(p, x),
  slidingWindow: convSlidingWindow,
  summary(p) {
    const k = p.kernelSize[0] === 1 && p.kernelSize[1] === 1 ? 'conv 1×1' : `conv ${windowText(p.kernelSize, p.strides)}`;
    const stride1x1 = p.kernelSize[0] === 1 && p.kernelSize[1] === 1 && (p.strides[0] > 1 || p.strides[1] > 1) ? ` /${p.strides[0]}` : '';
    const extras = [p.groups > 1 ? `g${p.groups}` : '', p.dilation[0] > 1 || p.dilation[1] > 1 ? `d${formatPairShort(p.dilation)}` : ''].filter(Boolean).join(' ');
    return `${k}${stride1x1}${padWord(p.padding)} · ${p.filters}${extras ? ' ' + extras : ''}`;
  },
  explain({ params: p, inputs: [x], output }) {
    const cin = x[2];
    const cinG = p.groups > 1 ? `(${cin}/${p.groups})` : String(cin);
    const weights = p.kernelSize[0] * p.kernelSize[1] * (cin / p.groups) * p.filters;
    const bias = p.useBias ? ` + ${p.filters}` : '';
    const total = weights + (p.useBias ? p.filters : 0);
    const r = windowOutput(x, windowOfConv(p));
    return [
      `params = ${p.kernelSize[0]}·${p.kernelSize[1]}·${cinG}·${p.filters}${bias} = ${formatInt(total)}`,
      ...('res' in r ? explainWindow(x, windowOfConv(p), r.res) : []),
      `MACs = ${output[0]}·${output[1]}·${p.filters}·${p.kernelSize[0]}·${p.kernelSize[1]}·${cinG} = ${formatInt(output[0] * output[1] * p.filters * p.kernelSize[0] * p.kernelSize[1] * (cin / p.groups))}`,
    ];
  },
  // kernel [kh, kw, Cin/groups, filters] (output channel o belongs to group ⌊o / (filters/groups)⌋, PyTorch's
  // grouping), bias [filters] when useBias; fanIn kh·kw·Cin/groups, fanOut kh·kw·filters/groups
  initialWeights({ params: p, inputShape, draw }) {
    const [kh, kw] = p.kernelSize;
    const cin = inputShape[inputShape.length - 1];
    const w: KernelAndBias = { kernel: draw.glorot([kh, kw, cin / p.groups, p.filters], kh * kw * (cin / p.groups), kh * kw * (p.filters / p.groups)) };
    if (p.useBias) w.bias = draw.bias(p.filters);
    return w;
  },
});
