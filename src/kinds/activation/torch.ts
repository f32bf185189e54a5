/** Activation in PyTorch: the function applied in forward, no layer. */

import { noWeights, torchActivation } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const activationTorch: TorchRuleOf<'activation'> = {
  emit: ({ p }) => ({ forward: [`$out = ${torchActivation(p.fn, '$x') ?? '$x'}`] }),
  stateDict: noWeights,
};
