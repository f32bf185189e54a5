import { defineLayer, NO_COUNTS, RF_IDENTITY, NO_WEIGHTS } from '../../contract/layer-kind.ts';

export const input = defineLayer({
  kind: 'input',
  title: 'Input',
  category: 'input',
  doc: 'The image (or vector) the network reads: [H, W, C] channels-last, or [N].',
  params: { shape: { type: 'shape', initial: [224, 224, 3], label: 'Shape' } },
  arity: { min: 0, max: 0 },
  outputShape: (_inputs, p) => [...p.shape],
  counts: () => NO_COUNTS,
  // An input pixel sees itself: size 1, stride 1, padding 0.
  receptiveField: () => RF_IDENTITY,
  summary: (p) => `input ${p.shape.join('×')}`,
  initialWeights: NO_WEIGHTS,
});
