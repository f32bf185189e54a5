/**
 * tfjs rule of `multiply`: tfjs's `Multiply` (Keras's class, so the tfjs export reads back as one layer). Its inputs
 * come in port order; it broadcasts as the kind does: a `[batch, 1, 1, C]` gate by NumPy's rule, a `[batch, C]`
 * one after expanding it at axis 1 until the ranks agree (tfjs-layers' `Merge.call`, `reshapeRequired`).
 */

import * as tf from '@tensorflow/tfjs';
import { apply, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const multiplyTfjs: TfjsRuleOf<'multiply'> = {
  compile: (ctx) => apply(tf.layers.multiply({ name: ctx.name }), ctx.inputs),
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};
