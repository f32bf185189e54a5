/**
 * The editor's words about trained weights (an imported model's), one place for the notice, the Run tab and the
 * Export menu: what they are, and where they live (in this tab's memory, not in the design file; the tfjs export
 * keeps them, and opening that model.json with its .bin file loads them again).
 */

import { formatInt } from '../../engine/index.ts';
import type { NodeWeights } from '../../engine/initial-weights.ts';
import type { TrainedWeights } from '../store/state.ts';

/** How many numbers the weights hold (every tensor's elements). */
export function weightCount(byNode: ReadonlyMap<string, NodeWeights>): number {
  let n = 0;
  for (const w of byNode.values()) for (const t of Object.values(w)) if (t) n += t.data.length;
  return n;
}

/** Where trained weights live, in one sentence. */
export const WHERE_WEIGHTS_LIVE =
  'They live in this tab, not in the design file: Export → TensorFlow.js model keeps them, and opening that model.json together with its .bin file loads them again.';

/** The notice after opening a model with its weights. */
export function openedWithWeights(w: TrainedWeights): string {
  return `Opened ${w.source} with its trained weights (${formatInt(weightCount(w.byNode))} numbers). ${WHERE_WEIGHTS_LIVE}`;
}

/** What the Run tab's result line and the Export menu say the weights are: "weights: resnet50.onnx". */
export function weightsLabel(source: string, dropped: number): string {
  return `weights: ${source}${dropped ? ` (${dropped === 1 ? 'one edited layer' : `${dropped} edited layers`} seeded)` : ''}`;
}
