/**
 * The shapes of a node's weights, without their values: the kind's own `initialWeights` rule run with draws that
 * make empty tensors, so the shapes are the ones every backend holds (Keras/tfjs layout) and there is one rule for
 * them. The Keras import checks a weights manifest against them (src/drivers/import/keras-weights.ts).
 */

import type { WeightDraw, WeightTensor } from '../contract/layer-kind.ts';
import { getLayerKind } from './registry.ts';
import type { Shape } from '../contract/types.ts';

const EMPTY = new Float32Array(0);
const shapeOnly = (shape: number[]): WeightTensor => ({ shape, data: EMPTY });
const SHAPES_ONLY: WeightDraw = { glorot: shapeOnly, bias: (n) => shapeOnly([n]), start: shapeOnly };

/**
 * Each weight of a node by role (`kernel`, `bias`, `depthwiseKernel`…) → its shape, channels-last; `{}` for a
 * kind without weights. `node` is a resolved node, or any node's kind, validated params and input shapes (the
 * memory figures read them from the analysis' rows).
 * @example nodeWeightShapes(resolve(design).byId.get('sep')!) // → { depthwiseKernel: [5, 5, 3, 6], pointwiseKernel: [1, 1, 18, 8], bias: [8] }
 */
export function nodeWeightShapes(node: { kind: string; params: object; inputShapes: readonly Shape[] }): Record<string, number[]> {
  const weights = getLayerKind(node.kind)!.initialWeights({ params: node.params as Record<string, unknown>, inputShape: node.inputShapes[0], draw: SHAPES_ONLY });
  const out: Record<string, number[]> = {};
  // a role a kind leaves unset (a bias with useBias false) holds no weights
  for (const role in weights) {
    const w = (weights as Record<string, WeightTensor | undefined>)[role];
    if (w) out[role] = w.shape;
  }
  return out;
}
