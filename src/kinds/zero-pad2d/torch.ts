/** Zero padding in PyTorch: `nn.ZeroPad2d` (left, right, top, bottom). */

import { noWeights, tuple } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const zeroPad2dTorch: TorchRuleOf<'zeroPad2d'> = {
  emit: ({ p, attr }) => ({ init: `nn.ZeroPad2d(${tuple([p.padding[1], p.padding[1], p.padding[0], p.padding[0]])})`, forward: [`$out = ${attr}($x)`] }),
  stateDict: noWeights,
};
