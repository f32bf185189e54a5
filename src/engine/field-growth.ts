/**
 * How a receptive field grows (docs/effective-field.md#how-the-field-grows): the chain of layers from the image to a
 * node, each with the field it has reached. Araujo et al.'s recursion (Distill 2019) read off the analysis:
 * r_l = r_{l−1} + (k_l − 1)·j_{l−1} and j_l = j_{l−1}·s_l, where r is the field's size, j its stride (the distance
 * in input pixels between neighbouring units: the product of the strides so far) and k_l, s_l the layer's own
 * kernel and stride. The fields are the analysis's own (one truth); this walk only picks the path and the steps.
 */

import type { NodeAnalysis, Pair, ReceptiveField } from '../contract/types.ts';

export interface FieldGrowthStep {
  nodeId: string;
  /** the field of one unit of this layer on the image */
  field: ReceptiveField;
  /** the field and stride of the step before (the image's 1×1, stride 1, for the first) */
  before: { size: Pair; stride: Pair };
  /**
   * The layer's window in units of the layer before, per axis: (size − size before) / stride before + 1, the k of the
   * recursion (3 for a 3×3 convolution, 5 for a 3×3 dilated by 2); null where that is not a whole number (a merge of
   * paths not centred alike, an upsampling).
   */
  kernel: [number | null, number | null];
  /** the layer's own stride: stride / stride before (a fraction behind an upsampling) */
  ownStride: Pair;
}

const area = (rf: ReceptiveField | null) => (rf ? rf.size[0] * rf.size[1] : -1);

/**
 * The layers from the image to `nodeId` whose field grows or whose stride changes, in order, the input first.
 * Where paths merge (add, concat), the walk follows the input with the largest field (the first in input order on
 * a tie): the path that sets the merged field's size in a network of one main path. Layers that leave the field
 * as it is (batch norm, activations, 1×1 convolutions of stride 1) are skipped.
 * @returns [] when the node has no receptive field (after flatten, dense or global pooling) or is unknown.
 */
export function fieldGrowth(nodes: Readonly<Record<string, NodeAnalysis | undefined>>, nodeId: string): FieldGrowthStep[] {
  const path: NodeAnalysis[] = [];
  const seen = new Set<string>();
  let at: NodeAnalysis | undefined = nodes[nodeId];
  if (!at?.receptiveField) return [];
  while (at && at.receptiveField && !seen.has(at.id)) {
    seen.add(at.id);
    path.push(at);
    const inputs: NodeAnalysis[] = at.inputs.map((id) => nodes[id]).filter((n): n is NodeAnalysis => !!n?.receptiveField);
    at = inputs.reduce<NodeAnalysis | undefined>((best, n) => (!best || area(n.receptiveField) > area(best.receptiveField) ? n : best), undefined);
  }
  path.reverse();
  const steps: FieldGrowthStep[] = [];
  let before = { size: [1, 1] as Pair, stride: [1, 1] as Pair };
  for (const n of path) {
    const field = n.receptiveField!;
    const same = (a: Pair, b: Pair) => a[0] === b[0] && a[1] === b[1];
    if (steps.length > 0 && same(field.size, before.size) && same(field.stride, before.stride)) continue;
    const k = (a: 0 | 1) => {
      const v = (field.size[a] - before.size[a]) / before.stride[a] + 1;
      return Number.isInteger(v) && v >= 1 ? v : null;
    };
    steps.push({ nodeId: n.id, field, before, kernel: [k(0), k(1)], ownStride: [field.stride[0] / before.stride[0], field.stride[1] / before.stride[1]] });
    before = { size: field.size, stride: field.stride };
  }
  return steps;
}
