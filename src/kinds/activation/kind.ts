import { defineLayer, NO_COUNTS, RF_IDENTITY, NO_WEIGHTS } from '../../contract/layer-kind.ts';
import { ACTIVATIONS } from '../../contract/params.ts';

export const activation = defineLayer({
  kind: 'activation',
  title: 'Activation',
  category: 'normalization',
  doc: 'An element-wise function (ReLU, sigmoid, softmax over channels…).',
  params: { fn: { type: 'enum', options: ACTIVATIONS, initial: 'relu', label: 'Function' } },
  arity: { min: 1, max: 1 },
  passThrough: true,
  outputActivation: (p) => p.fn,
  outputShape: ([x]) => [...x],
  counts: () => NO_COUNTS,
  receptiveField: () => RF_IDENTITY,
  summary: (p) => p.fn,
  initialWeights: NO_WEIGHTS,
});
