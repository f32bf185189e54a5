/** tfjs rule of `input`: a model input of the node's shape (compileDesign lists it among the model's inputs). */

import * as tf from '@tensorflow/tfjs';
import { NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const inputTfjs: TfjsRuleOf<'input'> = {
  compile: (ctx) => tf.input({ shape: [...ctx.params.shape], name: ctx.name }),
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};
