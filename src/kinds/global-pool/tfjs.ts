/** tfjs rules of `globalAvgPool` and `globalMaxPool`: tfjs's global pooling layers. */

import * as tf from '@tensorflow/tfjs';
import { apply, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const globalAvgPoolTfjs: TfjsRuleOf<'globalAvgPool'> = {
  compile: (ctx) => apply(tf.layers.globalAveragePooling2d({ name: ctx.name }), ctx.inputs[0]),
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};

export const globalMaxPoolTfjs: TfjsRuleOf<'globalMaxPool'> = {
  compile: (ctx) => apply(tf.layers.globalMaxPooling2d({ name: ctx.name }), ctx.inputs[0]),
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};
