/**
 * Fields larger than the input (docs/receptive-field.md#fields-larger-than-the-input): the analysis reports the
 * field of a unit far from every border (Araujo et al.'s unbounded input), which strides larger than kernels or
 * deep stacks can make wider or taller than the image itself. That is right, but reads as a fault, so wherever a
 * field is shown the editor and `convas summary` say so in one sentence, `FIELD_LARGER_THAN_INPUT`.
 */

import { isInputKind } from './registry.ts';
import type { NodeAnalysis, Pair } from '../contract/types.ts';

/** What is said beside a field larger than the input. */
export const FIELD_LARGER_THAN_INPUT = 'larger than the input: units near the border see less';

const extents = new WeakMap<readonly NodeAnalysis[], Pair | null>();

/**
 * The largest height and width among the analysis' input images (`input` nodes with an `[H, W, C]` shape), or
 * null where there is none. Computed once per list of nodes, so a check per node stays linear in all.
 */
export function inputExtent(nodes: readonly NodeAnalysis[]): Pair | null {
  let e = extents.get(nodes);
  if (e === undefined) {
    e = null;
    for (const n of nodes) {
      if (!isInputKind(n.kind) || n.outputShape?.length !== 3) continue;
      const [h, w] = n.outputShape;
      e = e ? [Math.max(e[0], h), Math.max(e[1], w)] : [h, w];
    }
    extents.set(nodes, e);
  }
  return e;
}

/**
 * True when the node's field is taller or wider than every input image of the design (so than its own input).
 * @param nodes the analysis' nodes, the node's among them
 * @example fieldLargerThanInput({ receptiveField: { size: [62, 57], … } }, nodes) // → true on a 23×17 input
 */
export function fieldLargerThanInput(node: Pick<NodeAnalysis, 'receptiveField'> | undefined, nodes: readonly NodeAnalysis[]): boolean {
  const size = node?.receptiveField?.size;
  const extent = size && inputExtent(nodes);
  return !!extent && (size[0] > extent[0] || size[1] > extent[1]);
}
