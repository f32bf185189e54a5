import { defineLayer, NO_COUNTS, RF_IDENTITY, NO_WEIGHTS } from '../../contract/layer-kind.ts';

export const dropout = defineLayer({
  kind: 'dropout',
  title: 'Dropout',
  category: 'normalization',
  doc: 'Zeroes a random fraction of values while training; passes everything through at inference.',
  params: { rate: { type: 'float', min: 0, max: 1, maxExclusive: true, default: 0.5, label: 'Rate' } },
  arity: { min: 1, max: 1 },
  passThrough: true,
  outputShape: ([x]) => [...x],
  counts: () => NO_COUNTS,
  receptiveField: () => RF_IDENTITY,
  summary: (p) => `dropout ${p.rate}`,
  initialWeights: NO_WEIGHTS,
});
