import { formatShape } from '../../contract/format.ts';
import { defineLayer, NO_COUNTS, RF_IDENTITY, NO_WEIGHTS } from '../../contract/layer-kind.ts';
import { MAX_DIM } from '../../contract/params.ts';
import { sameShape } from '../../contract/shape.ts';
import type { Shape } from '../../contract/types.ts';

/** `['a', 'b', 'c']` → `"a, b and c"`. */
const listWords = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);


export const add = defineLayer({
  kind: 'add',
  title: 'Add',
  category: 'merge',
  doc: 'Element-wise sum of 2+ inputs of identical shape: where a skip edge rejoins the main path.',
  params: {},
  arity: { min: 2, max: MAX_DIM },
  merge: 'sum',
  outputShape(inputs) {
    // the shape most inputs share (the earliest on a tie) is the one the others differ from
    const count = (s: Shape) => inputs.filter((t) => sameShape(s, t)).length;
    const common = inputs.reduce((best, s) => (count(s) > count(best) ? s : best), inputs[0]);
    const odd = inputs.flatMap((s, i) => (sameShape(s, common) ? [] : [i + 1]));
    if (odd.length) {
      const which = odd.length === 1 ? `input ${odd[0]} differs` : `inputs ${listWords(odd.map(String))} differ`;
      return `inputs must have identical shapes, got ${listWords(inputs.map(formatShape))} (${which})`;
    }
    return [...inputs[0]];
  },
  counts: () => NO_COUNTS,
  receptiveField: () => RF_IDENTITY,
  summary: () => 'add',
  initialWeights: NO_WEIGHTS,
});
