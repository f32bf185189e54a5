/** Activation in PyTorch: the function applied in forward, no layer. */

import { noWeights, torchActivation, type TorchRule } from '../../export/torch-rule.ts';

export const activationTorch: TorchRule<'activation'> = {
  emit: ({ p }) => ({ forward: [`$out = ${torchActivation(p.fn, '$x') ?? '$x'}`] }),
  stateDict: noWeights,
};
