/** Input in PyTorch: an argument of `forward`, no layer. */

import { noWeights, type TorchRule } from '../../export/torch-rule.ts';

export const inputTorch: TorchRule<'input'> = {
  emit: () => ({ forward: [] }), // never called: the export makes each input an argument of forward
  stateDict: noWeights,
};
