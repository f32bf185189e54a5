/** tfjs rule of `add`: its inputs come in port order (compileDesign). */

import * as tf from '@tensorflow/tfjs';
import { apply, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const addTfjs: TfjsRuleOf<'add'> = {
  compile: (ctx) => apply(tf.layers.add({ name: ctx.name }), ctx.inputs),
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};
