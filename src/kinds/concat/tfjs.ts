/** tfjs rule of `concat`: along the channels, its inputs in port order (compileDesign). */

import * as tf from '@tensorflow/tfjs';
import { apply, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const concatTfjs: TfjsRuleOf<'concat'> = {
  compile: (ctx) => apply(tf.layers.concatenate({ axis: -1, name: ctx.name }), ctx.inputs),
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};
