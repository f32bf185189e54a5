/**
 * Loaded weights (a tfjs weights manifest and its data) → a compiled model, by weight name. Browser-safe: the run
 * worker uses it for the Run panel's "Load weights…".
 */

import type * as tfTypes from '@tensorflow/tfjs';
import { CompileError, tf } from './index.ts';
import { weightsMismatch } from './model-json.ts';
import type { RunWeights } from './protocol.ts';

/**
 * Puts loaded weights into a compiled model, by weight name. A weight missing from the file, one of another
 * shape, or one the design lacks is refused (a `CompileError`, reason 'mismatch') with a message naming the layer
 * and the shapes; the model is then left as it was.
 * @example loadWeightsInto(compileDesign(design).model, { specs, data, fileName: 'model.json' })
 */
export function loadWeightsInto(model: tfTypes.LayersModel, weights: RunWeights) {
  const fileName = weights.fileName ?? 'the weights file';
  const specs = weights.specs.filter((s) => s.group !== 'optimizer');
  const slots = model.weights.map((w) => ({ name: w.originalName, shape: w.shape as number[] }));
  const problem = weightsMismatch(slots, specs, fileName);
  if (problem) throw new CompileError(problem, 'mismatch');
  const named = tf.io.decodeWeights(weights.data, weights.specs as tfTypes.io.WeightsManifestEntry[]);
  try {
    for (const s of weights.specs) {
      if (s.group === 'optimizer') {
        named[s.name]?.dispose();
        delete named[s.name];
      }
    }
    model.loadWeights(named, true);
  } finally {
    tf.dispose(Object.values(named));
  }
}
