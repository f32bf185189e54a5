/** tfjs rule of `zeroPad2d`: symmetric zero padding of H and W. */

import * as tf from '@tensorflow/tfjs';
import { apply, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const zeroPad2dTfjs: TfjsRuleOf<'zeroPad2d'> = {
  compile(ctx) {
    const [ph, pw] = ctx.params.padding;
    return apply(tf.layers.zeroPadding2d({ padding: [[ph, ph], [pw, pw]], name: ctx.name }), ctx.inputs[0]);
  },
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};
