import { defineLayer, NO_COUNTS, RF_IDENTITY, NO_WEIGHTS } from '../../contract/layer-kind.ts';
import { ACTIVATIONS } from '../../contract/params.ts';

/**
 * The activation layer's functions: every activation a conv or dense may fuse (`ACTIVATIONS`), and `leakyRelu`
 * (max(x, 0) + alpha·min(x, 0), PyTorch's `F.leaky_relu(x, negative_slope)`), which only this layer takes: its
 * `alpha` is a param of the node, and a fused activation has none.
 */
export const ACTIVATION_FNS = [...ACTIVATIONS, 'leakyRelu'] as const;

export const activation = defineLayer({
  kind: 'activation',
  title: 'Activation',
  category: 'normalization',
  doc: 'An element-wise function (ReLU, sigmoid, GELU, hard swish, leaky ReLU, softmax over channels…).',
  params: {
    fn: { type: 'enum', options: ACTIVATION_FNS, initial: 'relu', label: 'Function' },
    // PyTorch's negative_slope default; Keras's LeakyReLU layer defaults to 0.3 (an import keeps the file's value).
    // Keras 3 refuses a negative slope, so Convas does too.
    alpha: {
      type: 'float', min: 0, max: 1e6, default: 0.01, label: 'Negative slope',
      help: 'y = alpha·x for x < 0 (PyTorch negative_slope: 0.01; Keras LeakyReLU: 0.3)',
      appliesWhen: { param: 'fn', values: ['leakyRelu'] },
    },
  },
  arity: { min: 1, max: 1 },
  passThrough: true,
  outputActivation: (p) => p.fn,
  outputShape: ([x]) => [...x],
  counts: () => NO_COUNTS,
  receptiveField: () => RF_IDENTITY,
  summary: (p) => (p.fn === 'leakyRelu' ? `leakyRelu ${p.alpha}` : p.fn),
  initialWeights: NO_WEIGHTS,
});
