/** tfjs rule of `cropping2d`: Keras's `Cropping2D` with equal sides. */

import * as tf from '@tensorflow/tfjs';
import { apply, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const cropping2dTfjs: TfjsRuleOf<'cropping2d'> = {
  compile(ctx) {
    const [ch, cw] = ctx.params.cropping;
    return apply(tf.layers.cropping2D({ cropping: [[ch, ch], [cw, cw]], name: ctx.name }), ctx.inputs[0]);
  },
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};
