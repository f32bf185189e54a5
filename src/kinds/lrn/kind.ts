import { defineLayer, NO_COUNTS, RF_IDENTITY, NO_WEIGHTS } from '../../contract/layer-kind.ts';
import { needImage } from '../common.ts';

export const lrn = defineLayer({
  kind: 'lrn',
  title: 'LRN',
  category: 'normalization',
  doc: 'Local response normalization across neighbouring channels (AlexNet 2012).',
  params: {
    depthRadius: { type: 'int', min: 0, max: 1024, default: 2, label: 'Depth radius' },
    bias: { type: 'float', min: 0, max: 1e6, default: 2, label: 'Bias' },
    alpha: { type: 'float', min: 0, max: 1e6, default: 1e-4, label: 'Alpha' },
    beta: { type: 'float', min: 0, max: 1e6, default: 0.75, label: 'Beta' },
  },
  arity: { min: 1, max: 1 },
  outputShape: ([x]) => needImage(x) ?? [...x],
  counts: () => NO_COUNTS,
  // Normalizes across channels only: every output pixel sees the same input pixel.
  receptiveField: () => RF_IDENTITY,
  summary: (p) => `LRN r${p.depthRadius}`,
  initialWeights: NO_WEIGHTS,
});
