/** Flatten in PyTorch: channels-last order, as Convas and tfjs flatten, so dense weights carry over. */

import { noWeights } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const flattenTorch: TorchRuleOf<'flatten'> = {
  emit: ({ rank }) => ({ forward: [rank === 3 ? '$out = $x.permute(0, 2, 3, 1).flatten(1)' : '$out = $x.flatten(1)'] }),
  stateDict: noWeights,
};
