/** Dropout in PyTorch: `nn.Dropout` (the identity in eval mode, as in inference everywhere). */

import { noWeights, type TorchRule } from '../../export/torch-rule.ts';

export const dropoutTorch: TorchRule<'dropout'> = {
  emit: ({ p, attr }) => ({ init: `nn.Dropout(p=${p.rate})`, forward: [`$out = ${attr}($x)`] }),
  stateDict: noWeights,
};
