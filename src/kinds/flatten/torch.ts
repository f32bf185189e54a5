/** Flatten in PyTorch: channels-last order, as Convas and tfjs flatten, so dense weights carry over. */

import { noWeights, type TorchRule } from '../../export/torch-rule.ts';

export const flattenTorch: TorchRule<'flatten'> = {
  emit: ({ rank }) => ({ forward: [rank === 3 ? '$out = $x.permute(0, 2, 3, 1).flatten(1)' : '$out = $x.flatten(1)'] }),
  stateDict: noWeights,
};
