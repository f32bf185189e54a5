import { formatInt } from '../../contract/format.ts';
import { defineLayer, RF_IDENTITY } from '../../contract/layer-kind.ts';

/**
 * Layer normalization over each pixel's channels (Ba, Kiros and Hinton 2016), as ConvNeXt uses it on a
 * channels-last map (Liu et al. 2022; torchvision's `LayerNorm2d`): for each pixel, the mean and the biased
 * variance of its C values, `y = gamma · (x − mean) / √(variance + epsilon) + beta`. On a flat `[N]` vector the N
 * values are normalized together. Counts as docs/design-format.md#layer-kinds and docs/analysis.md#macs give them:
 * 2·C trainable (gamma, beta), 0 MACs (as batch norm counts its per-channel arithmetic), nothing kept apart from
 * the trained weights (unlike batch norm, the statistics come from the input itself, at inference too).
 */
export const layerNorm = defineLayer({
  kind: 'layerNorm',
  title: 'Layer norm',
  category: 'normalization',
  doc: 'Normalizes the channels of each pixel (mean 0, variance 1 over its C values), then scales by gamma and shifts by beta (ConvNeXt\'s channels-last LayerNorm).',
  params: {
    epsilon: {
      type: 'float', min: 0, max: 1, minExclusive: true, default: 1e-6, label: 'Epsilon',
      help: 'Added to the variance: ConvNeXt uses 1e-6; PyTorch\'s LayerNorm defaults to 1e-5, Keras\'s to 1e-3',
    },
  },
  arity: { min: 1, max: 1 },
  outputShape: ([x]) => [...x],
  counts: ({ inputs: [x] }) => ({ trainable: 2 * x[x.length - 1], nonTrainable: 0, macs: 0 }),
  // each pixel is normalized over its own channels only: every output pixel sees its input pixel alone
  receptiveField: () => RF_IDENTITY,
  summary: () => 'layer norm',
  explain: ({ inputs: [x], params: p }) => {
    const c = x[x.length - 1];
    const over = x.length === 3 ? `the ${formatInt(c)} channels of each of the ${formatInt(x[0] * x[1])} pixels` : `all ${formatInt(c)} values`;
    return [
      `params = 2·${c} = ${formatInt(2 * c)}  (gamma and beta per channel; no moving statistics)`,
      `mean and variance (biased) over ${over}; y = gamma·(x − mean)/√(variance + ${p.epsilon.toExponential()}) + beta`,
    ];
  },
  // gamma and beta [C] (the last axis: channels of an image, the N values of a flat vector); Keras starts them at 1 and 0
  initialWeights({ inputShape, draw }) {
    const c = [inputShape[inputShape.length - 1]];
    return { gamma: draw.start(c, 1, 0.5, 1.5), beta: draw.start(c, 0, -0.5, 0.5) };
  },
});
