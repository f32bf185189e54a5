import { formatInt } from '../../contract/format.ts';
import { defineLayer, type KernelAndBias } from '../../contract/layer-kind.ts';
import { MAX_DIM } from '../../contract/params.ts';
import { activationSpec, useBiasSpec } from '../common.ts';

export const dense = defineLayer({
  kind: 'dense',
  title: 'Dense',
  category: 'dense',
  doc: 'Fully connected: every output unit weighs every input value. Needs a flat [N] input.',
  params: {
    units: { type: 'int', min: 1, max: MAX_DIM, initial: 128, label: 'Units' },
    useBias: useBiasSpec,
    activation: activationSpec,
  },
  arity: { min: 1, max: 1 },
  flatInput: true,
  outputActivation: (p) => p.activation,
  outputShape([x], p) {
    if (x.length !== 1) {
      return `needs a flat input [N], got a ${x.join('×')} feature map; add Flatten or Global average pool before it`;
    }
    return [p.units];
  },
  counts: ({ params: p, inputs: [x] }) => ({
    trainable: x[0] * p.units + (p.useBias ? p.units : 0),
    nonTrainable: 0,
    macs: x[0] * p.units,
  }),
  receptiveField: () => 'none',
  summary: (p) => `dense · ${p.units}${p.activation !== 'linear' ? ` ${p.activation}` : ''}`,
  explain: ({ params: p, inputs: [x] }) => [
    `params = ${formatInt(x[0])}·${formatInt(p.units)}${p.useBias ? ` + ${formatInt(p.units)}` : ''} = ${formatInt(x[0] * p.units + (p.useBias ? p.units : 0))}`,
    `MACs = ${formatInt(x[0])}·${formatInt(p.units)} = ${formatInt(x[0] * p.units)}`,
  ],
  // kernel [N, units], bias [units] when useBias; fanIn N, fanOut units
  initialWeights({ params: p, inputShape, draw }) {
    const n = inputShape[inputShape.length - 1];
    const w: KernelAndBias = { kernel: draw.glorot([n, p.units], n, p.units) };
    if (p.useBias) w.bias = draw.bias(p.units);
    return w;
  },
});
