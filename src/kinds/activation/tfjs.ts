/** tfjs rule of `activation`: an `Activation` layer, or tfjs's `LeakyReLU` layer with the node's alpha. */

import * as tf from '@tensorflow/tfjs';
import { act, apply, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const activationTfjs: TfjsRuleOf<'activation'> = {
  compile: ({ params: p, name, inputs }) => (p.fn === 'leakyRelu'
    // tfjs's LeakyReLU is max(x, 0) + alpha·min(x, 0) as PyTorch's; its own default (0.3) never applies: the resolved
    // params hold alpha wherever fn is leakyRelu (validateParams fills 0.01 in)
    ? apply(tf.layers.leakyReLU({ alpha: p.alpha!, name }), inputs[0])
    : apply(tf.layers.activation({ activation: act(p.fn), name }), inputs[0])),
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};
