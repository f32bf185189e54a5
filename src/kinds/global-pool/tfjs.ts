/**
 * tfjs rules of `globalAvgPool` and `globalMaxPool`: tfjs's global pooling layers, mended to keep the dims. tfjs
 * 4.22's `GlobalAveragePooling2D` and `GlobalMaxPooling2D` have no `keepdims` (Keras's has, since 2.6), so each is
 * subclassed under its own class name (registered here in its place, as separable-conv2d/tfjs.ts mends its class):
 * with `keepdims` true it gives `[batch, 1, 1, C]` and writes `keepdims: true` in its config, as Keras does, so the
 * tfjs export reloads in tfjs and Keras and reads back through the Keras import. Without it the layer and its
 * config are tfjs's own, unchanged.
 */

import * as tf from '@tensorflow/tfjs';
import { apply, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

type Args = { name?: string; keepdims?: boolean };
type LayerClass = new (args: Args) => tf.layers.Layer;
type Serializable = tf.serialization.SerializableConstructor<tf.serialization.Serializable>;

/** tfjs's class `base` with Keras's `keepdims`, registered under `className`. */
function keepingDims(base: LayerClass, className: string): LayerClass {
  class KeepDims extends base {
    static className = className;
    readonly keepdims: boolean;
    constructor(args: Args) {
      super(args);
      this.keepdims = args.keepdims ?? false;
    }
    override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
      const flat = super.computeOutputShape(s) as tf.Shape;
      return this.keepdims ? [flat[0], 1, 1, flat[1]] : flat;
    }
    override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
      const y = super.call(inputs, kwargs) as tf.Tensor;
      if (!this.keepdims) return y;
      return tf.tidy(() => tf.reshape(y, [y.shape[0], 1, 1, y.shape[1]!]));
    }
    override getConfig(): tf.serialization.ConfigDict {
      // keepdims only where true: a flat pool's config stays exactly tfjs's (its exports unchanged)
      return this.keepdims ? { ...super.getConfig(), keepdims: true } : super.getConfig();
    }
  }
  tf.serialization.registerClass(KeepDims as unknown as Serializable);
  return KeepDims;
}

const classOf = (layer: tf.layers.Layer) => Object.getPrototypeOf(layer).constructor as LayerClass;
const GlobalAveragePooling2D = keepingDims(classOf(tf.layers.globalAveragePooling2d({})), 'GlobalAveragePooling2D');
const GlobalMaxPooling2D = keepingDims(classOf(tf.layers.globalMaxPooling2d({})), 'GlobalMaxPooling2D');

export const globalAvgPoolTfjs: TfjsRuleOf<'globalAvgPool'> = {
  compile: (ctx) => apply(new GlobalAveragePooling2D({ name: ctx.name, keepdims: ctx.params.keepDims }), ctx.inputs[0]),
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};

export const globalMaxPoolTfjs: TfjsRuleOf<'globalMaxPool'> = {
  compile: (ctx) => apply(new GlobalMaxPooling2D({ name: ctx.name, keepdims: ctx.params.keepDims }), ctx.inputs[0]),
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};
