import { formatInt } from '../../contract/format.ts';
import { defineLayer, RF_IDENTITY } from '../../contract/layer-kind.ts';

export const batchNorm = defineLayer({
  kind: 'batchNorm',
  title: 'Batch norm',
  category: 'normalization',
  doc: 'Normalizes each channel; learns gamma and beta, keeps a moving mean and variance (not trained).',
  params: {
    epsilon: { type: 'float', min: 0, max: 1, minExclusive: true, default: 0.001, label: 'Epsilon' },
    momentum: { type: 'float', min: 0, max: 1, default: 0.99, label: 'Momentum', help: 'Keras convention: PyTorch momentum = 1 − this' },
  },
  arity: { min: 1, max: 1 },
  passThrough: true,
  outputShape: ([x]) => [...x],
  counts: ({ inputs: [x] }) => {
    const c = x[x.length - 1];
    return { trainable: 2 * c, nonTrainable: 2 * c, macs: 0 };
  },
  receptiveField: () => RF_IDENTITY,
  summary: () => 'batch norm',
  explain: ({ inputs: [x] }) => {
    const c = x[x.length - 1];
    return [`params = 4·${c} = ${formatInt(4 * c)}  (2·${c} trainable: gamma, beta; 2·${c} moving mean, variance)`];
  },
  // gamma, beta, movingMean, movingVariance, each [C]; Keras starts them at 1, 0, 0, 1
  initialWeights({ inputShape, draw }) {
    const c = [inputShape[inputShape.length - 1]];
    return {
      gamma: draw.start(c, 1, 0.5, 1.5), beta: draw.start(c, 0, -0.5, 0.5),
      movingMean: draw.start(c, 0, -0.5, 0.5), movingVariance: draw.start(c, 1, 0.5, 1.5),
    };
  },
});
