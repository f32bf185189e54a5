/** Activation in PyTorch: the function applied in forward, no layer (a leaky ReLU with its slope). */

import { noWeights, pyFloat, torchActivation } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const activationTorch: TorchRuleOf<'activation'> = {
  emit: ({ p }) => ({
    forward: [p.fn === 'leakyRelu'
      // the resolved params hold alpha wherever fn is leakyRelu (validateParams fills 0.01 in)
      ? `$out = F.leaky_relu($x, negative_slope=${pyFloat(p.alpha!)})`
      : `$out = ${torchActivation(p.fn, '$x') ?? '$x'}`],
  }),
  stateDict: noWeights,
};
