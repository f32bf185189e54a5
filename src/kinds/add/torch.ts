/** Add in PyTorch: the inputs summed with `+`. */

import { noWeights, type TorchRule } from '../../export/torch-rule.ts';

export const addTorch: TorchRule<'add'> = { emit: () => ({ forward: ['$out = $sum'] }), stateDict: noWeights };
