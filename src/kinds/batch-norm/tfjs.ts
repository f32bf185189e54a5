/** tfjs rule of `batchNorm` (over the channels, the last axis). */

import * as tf from '@tensorflow/tfjs';
import { apply, NO_MEMORY_TERMS } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const batchNormTfjs: TfjsRuleOf<'batchNorm'> = {
  compile(ctx) {
    const layer = tf.layers.batchNormalization({
      axis: -1, epsilon: ctx.params.epsilon, momentum: ctx.params.momentum, name: ctx.name,
    });
    ctx.assign(layer, (w) => [w.gamma, w.beta, w.movingMean, w.movingVariance]);
    return apply(layer, ctx.inputs[0]);
  },
  readWeights(ctx) {
    const [gamma, beta, movingMean, movingVariance] = ctx.own();
    return { gamma, beta, movingMean, movingVariance };
  },
  memory: NO_MEMORY_TERMS,
};
