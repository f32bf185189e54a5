/** tfjs rule of `dropout` (the identity at inference; seed 0 when training). */

import * as tf from '@tensorflow/tfjs';
import { apply, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const dropoutTfjs: TfjsRuleOf<'dropout'> = {
  compile: (ctx) => apply(tf.layers.dropout({ rate: ctx.params.rate, seed: 0, name: ctx.name }), ctx.inputs[0]),
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};
