/** tfjs rule of `dense`. */

import * as tf from '@tensorflow/tfjs';
import { act, apply, kernelAndBias, NO_MEMORY_TERMS } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const denseTfjs: TfjsRuleOf<'dense'> = {
  compile(ctx) {
    const layer = tf.layers.dense({
      units: ctx.params.units, useBias: ctx.params.useBias, activation: act(ctx.params.activation), name: ctx.name,
      kernelInitializer: 'zeros', biasInitializer: 'zeros',
    });
    ctx.assign(layer, (w) => (w.bias ? [w.kernel, w.bias] : [w.kernel]));
    return apply(layer, ctx.inputs[0]);
  },
  readWeights: (ctx) => kernelAndBias(ctx.own()),
  memory: NO_MEMORY_TERMS,
};
