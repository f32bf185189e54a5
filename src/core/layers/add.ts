import { formatShape } from '../format.ts';
import { defineLayer, NO_COUNTS, RF_IDENTITY } from '../layer-kind.ts';
import { MAX_DIM } from '../params.ts';
import type { Shape } from '../types.ts';

const sameShape = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);

export const add = defineLayer({
  kind: 'add',
  title: 'Add',
  category: 'merge',
  doc: 'Element-wise sum of 2+ inputs of identical shape: where a skip edge rejoins the main path.',
  params: {},
  arity: { min: 2, max: MAX_DIM },
  outputShape(inputs) {
    const first = inputs[0];
    const odd = inputs.findIndex((s) => !sameShape(s, first));
    if (odd >= 0) {
      return `inputs must have identical shapes, got ${inputs.map(formatShape).join(' and ')} (input ${odd + 1} differs)`;
    }
    return [...first];
  },
  counts: () => NO_COUNTS,
  receptiveField: () => RF_IDENTITY,
  summary: () => 'add',
});
