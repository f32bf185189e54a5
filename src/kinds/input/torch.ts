/** Input in PyTorch: an argument of `forward`, no layer. */

import { noWeights } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const inputTorch: TorchRuleOf<'input'> = {
  emit: () => ({ forward: [] }), // never called: the export makes each input an argument of forward
  stateDict: noWeights,
};
