/**
 * tfjs rules of `globalAvgPool` and `globalMaxPool`: tfjs's own global pooling layers. tfjs 4.22's
 * `GlobalAveragePooling2D` and `GlobalMaxPooling2D` have no `keepdims` (Keras's have, since 2.6; tfjs reads the field
 * and ignores it), so a kept-dims pool is the flat pool (named after the node) followed by a `Reshape` to
 * `[1, 1, C]` (`<id>__keep`): stock layers that stock tfjs and Keras both compute, the form Keras's EfficientNet
 * writes, which the Keras import folds back into the pool's `keepDims`. A reshape only moves the values, so the
 * numbers are the pool's.
 */

import * as tf from '@tensorflow/tfjs';
import { apply, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ, type RuleContext } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

/** The pool's flat `[C]` output, reshaped to `[1, 1, C]` where the node keeps the dims. */
function keepingDims(ctx: RuleContext<{ keepDims: boolean }>, flat: tf.SymbolicTensor): tf.SymbolicTensor {
  if (!ctx.params.keepDims) return flat;
  return apply(tf.layers.reshape({ targetShape: [1, 1, flat.shape[1] as number], name: ctx.helper('keep') }), flat);
}

export const globalAvgPoolTfjs: TfjsRuleOf<'globalAvgPool'> = {
  compile: (ctx) => keepingDims(ctx, apply(tf.layers.globalAveragePooling2d({ name: ctx.name }), ctx.inputs[0])),
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};

export const globalMaxPoolTfjs: TfjsRuleOf<'globalMaxPool'> = {
  compile: (ctx) => keepingDims(ctx, apply(tf.layers.globalMaxPooling2d({ name: ctx.name }), ctx.inputs[0])),
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};
