/** The seeded random input `run` and `profile` use when no image is given (browser-safe: the run worker uses it). */

import * as tf from '@tensorflow/tfjs';

/** A seeded random input `[1, ...shape]`, uniform in [0, 1) (tfjs's `randomUniform` with `seed`). */
export function randomInput(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform([1, ...shape], 0, 1, 'float32', seed);
}
