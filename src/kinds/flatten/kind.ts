import { formatInt } from '../../contract/format.ts';
import { defineLayer, NO_COUNTS, NO_WEIGHTS } from '../../contract/layer-kind.ts';
import { checkDims } from '../common.ts';

export const flatten = defineLayer({
  kind: 'flatten',
  title: 'Flatten',
  category: 'dense',
  doc: 'Unrolls a feature map into a vector, channels-last: [H, W, C] → [H·W·C].',
  params: {},
  arity: { min: 1, max: 1 },
  outputShape: ([x]) => checkDims([x.reduce((a, b) => a * b, 1)]),
  counts: () => NO_COUNTS,
  receptiveField: () => 'none',
  summary: () => 'flatten',
  explain: ({ inputs: [x], output }) => [`out = ${x.join('·')} = ${formatInt(output[0])}`],
  initialWeights: NO_WEIGHTS,
});
