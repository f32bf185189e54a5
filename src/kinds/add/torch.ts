/** Add in PyTorch: the inputs summed with `+`. */

import { noWeights } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const addTorch: TorchRuleOf<'add'> = { emit: () => ({ forward: ['$out = $sum'] }), stateDict: noWeights };
