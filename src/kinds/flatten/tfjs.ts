/** tfjs rule of `flatten`. */

import * as tf from '@tensorflow/tfjs';
import { apply, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const flattenTfjs: TfjsRuleOf<'flatten'> = {
  // A flat [N] passes through (docs/design-format.md#layer-kinds); tfjs's flatten refuses inputs below rank 3.
  compile: (ctx) => apply(ctx.inputShapes[0].length === 1
    ? tf.layers.reshape({ targetShape: [...ctx.inputShapes[0]], name: ctx.name })
    : tf.layers.flatten({ name: ctx.name }), ctx.inputs[0]),
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};
