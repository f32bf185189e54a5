import { formatShape } from '../../contract/format.ts';
import { defineLayer, NO_COUNTS, RF_IDENTITY, NO_WEIGHTS } from '../../contract/layer-kind.ts';
import { MAX_DIM } from '../../contract/params.ts';
import { sameShape } from '../../contract/shape.ts';
import type { Shape } from '../../contract/types.ts';

/** Whether `g` is a gate for the `[H, W, C]` map `x`: one value per channel, `[1, 1, C]` or `[C]`. */
const gates = (g: Shape, x: Shape) =>
  x.length === 3 && ((g.length === 3 && g[0] === 1 && g[1] === 1 && g[2] === x[2]) || (g.length === 1 && g[0] === x[2]));

/**
 * The shape every input broadcasts to (docs/design-format.md#layer-kinds): the one shape all share, or the
 * `[H, W, C]` shape that every other input gates with `[1, 1, C]` or `[C]` (broadcast over H and W, as
 * squeeze-and-excitation's gate is; NumPy's rule for `[1, 1, C]`, and Keras's `Multiply` for `[C]`, which puts the
 * missing axes after the batch). The map is the input of highest rank with the largest H×W, so `[1, 1, C]` ×
 * `[C]` is `[1, 1, C]` too.
 * @returns the output shape, or a message naming the inputs that fit neither rule
 */
export function productShape(inputs: Shape[]): Shape | string {
  const size = (s: Shape) => (s.length === 3 ? s[0] * s[1] : 0);
  const map = inputs.reduce((best, s) => (s.length > best.length || (s.length === best.length && size(s) > size(best)) ? s : best), inputs[0]);
  const odd = inputs.flatMap((s, i) => (sameShape(s, map) || gates(s, map) ? [] : [i + 1]));
  if (odd.length === 0) return [...map];
  const which = odd.length === 1 ? `input ${odd[0]} fits` : `inputs ${odd.join(', ')} fit`;
  const gate = map.length === 3 ? `, or a gate of one value per channel (${formatShape([1, 1, map[2]])} or ${formatShape([map[2]])})` : '';
  return `inputs must have the shape ${formatShape(map)}${gate}; got ${inputs.map(formatShape).join(', ')} (${which} neither)`;
}

/**
 * Element-wise product of 2+ inputs: squeeze-and-excitation's gate (Hu et al. 2018), where `[1, 1, C]` or `[C]`
 * factors, one per channel, scale an `[H, W, C]` map at every pixel. No params and 0 MACs (docs/analysis.md#macs counts 0
 * for every new kind but the transposed convolution, as batch norm's products count 0). Its inputs are
 * `merge: 'product'`: neither a residual join (no dashed skip edges, no 1×1 projection to fix a shape: a `[1, 1, C]`
 * gate is right as it is) nor a concatenation.
 */
export const multiply = defineLayer({
  kind: 'multiply',
  title: 'Multiply',
  category: 'gate',
  doc: 'Element-wise product of 2+ inputs of one shape, or an [H, W, C] map times per-channel gates ([1, 1, C] or [C]): squeeze-and-excitation.',
  params: {},
  arity: { min: 2, max: MAX_DIM },
  merge: 'product',
  outputShape: (inputs) => productShape(inputs),
  counts: () => NO_COUNTS,
  // element-wise: each unit sees its own pixel on every input; a gate's fields (global, or fixed to one unit when
  // a [1, 1, C] map is broadcast) join as global paths in the analysis
  receptiveField: () => RF_IDENTITY,
  summary: () => 'multiply',
  explain: ({ inputs, output }) => {
    const broadcast = inputs.filter((s) => !sameShape(s, output));
    return broadcast.length === 0
      ? [`out = ${inputs.map((_, i) => `x${i + 1}`).join(' · ')} element by element: ${formatShape(output)}`]
      : [`out[h, w, c] = ${inputs.map((s, i) => (sameShape(s, output) ? `x${i + 1}[h, w, c]` : `x${i + 1}[c]`)).join(' · ')}: each ${broadcast.map(formatShape).join(' and ')} gate is one factor per channel, the same at all ${output[0]}×${output[1]} pixels`];
  },
  initialWeights: NO_WEIGHTS,
});
