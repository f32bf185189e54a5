import { formatShape } from '../../contract/format.ts';
import { defineLayer, NO_COUNTS, RF_IDENTITY, NO_WEIGHTS } from '../../contract/layer-kind.ts';
import { MAX_DIM } from '../../contract/params.ts';
import { checkDims } from '../common.ts';

export const concat = defineLayer({
  kind: 'concat',
  title: 'Concat',
  category: 'merge',
  doc: 'Stacks 2+ inputs along channels; their H and W must be equal. Output [H, W, ΣC].',
  params: {},
  arity: { min: 2, max: MAX_DIM },
  merge: 'concat',
  outputShape(inputs) {
    const first = inputs[0];
    if (inputs.some((s) => s.length !== first.length)) {
      return `cannot join a feature map with a flat vector: got ${inputs.map(formatShape).join(', ')}`;
    }
    if (first.length === 3) {
      const odd = inputs.findIndex((s) => s[0] !== first[0] || s[1] !== first[1]);
      if (odd >= 0) {
        return `inputs must have equal H×W, but input ${odd + 1} is ${inputs[odd][0]}×${inputs[odd][1]} while input 1 is ${first[0]}×${first[1]} (shapes ${inputs.map(formatShape).join(', ')})`;
      }
    }
    const channels = inputs.reduce((sum, s) => sum + s[s.length - 1], 0);
    return checkDims([...first.slice(0, -1), channels]);
  },
  counts: () => NO_COUNTS,
  receptiveField: () => RF_IDENTITY,
  summary: () => 'concat',
  explain: ({ inputs, output }) => [`C = ${inputs.map((s) => s[s.length - 1]).join(' + ')} = ${output[output.length - 1]}`],
  initialWeights: NO_WEIGHTS,
});
