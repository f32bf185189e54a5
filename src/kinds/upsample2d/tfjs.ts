/**
 * tfjs rule of `upsample2d`: tfjs's `UpSampling2D`, mended to compute PyTorch's values. tfjs 4.22's layer resizes
 * with TensorFlow 1's legacy rule (`resizeBilinear` without half-pixel centres: output pixel i samples the input at
 * i/u, not (i + ½)/u − ½), so its bilinear output differs from PyTorch's `align_corners=False` and from Keras's own
 * `UpSampling2D` (TensorFlow 2's `resize`). The subclass below resizes with `halfPixelCenters: true`, for nearest too
 * (⌊(i + ½)/u⌋ = ⌊i/u⌋ for an integer u, and unlike i·(1/u) no rounding of 1/u can move it across a boundary). Its
 * class name stays `UpSampling2D` (registered here in its place), so a saved model is Keras's layer with Keras's
 * values.
 */

import * as tf from '@tensorflow/tfjs';
import { apply, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

type Args = { size: [number, number]; interpolation: 'nearest' | 'bilinear'; name?: string };

// tfjs's own UpSampling2D class (not exported by name): the one a `tf.layers.upSampling2d` call makes.
const TfUpSampling2D = Object.getPrototypeOf(tf.layers.upSampling2d({})).constructor as new (args: Args) => tf.layers.Layer;

/** tfjs's `UpSampling2D` with half-pixel centres (TensorFlow 2's and PyTorch's values), channels-last only. */
class UpSampling2D extends TfUpSampling2D {
  static className = 'UpSampling2D';
  declare size: [number, number];
  declare interpolation: 'nearest' | 'bilinear';

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const size: [number, number] = [x.shape[1] * this.size[0], x.shape[2] * this.size[1]];
      return this.interpolation === 'nearest'
        ? tf.image.resizeNearestNeighbor(x, size, false, true)
        : tf.image.resizeBilinear(x, size, false, true);
    });
  }
}
tf.serialization.registerClass(UpSampling2D as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

export const upsample2dTfjs: TfjsRuleOf<'upsample2d'> = {
  compile: (ctx) => apply(new UpSampling2D({ size: ctx.params.size, interpolation: ctx.params.interpolation, name: ctx.name }), ctx.inputs[0]),
  readWeights: NO_WEIGHTS_TO_READ,
  // the resized map is the node's output itself
  memory: NO_MEMORY_TERMS,
};
