/** tfjs rule of `activation`. */

import * as tf from '@tensorflow/tfjs';
import { act, apply, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const activationTfjs: TfjsRuleOf<'activation'> = {
  compile: (ctx) => apply(tf.layers.activation({ activation: act(ctx.params.fn), name: ctx.name }), ctx.inputs[0]),
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};
