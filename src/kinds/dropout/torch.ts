/** Dropout in PyTorch: `nn.Dropout` (the identity in eval mode, as in inference everywhere). */

import { noWeights } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const dropoutTorch: TorchRuleOf<'dropout'> = {
  emit: ({ p, attr }) => ({ init: `nn.Dropout(p=${p.rate})`, forward: [`$out = ${attr}($x)`] }),
  stateDict: noWeights,
};
