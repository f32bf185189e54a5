/**
 * Channel shuffle in PyTorch, as torchvision's `channel_shuffle` writes it (torchvision/models/shufflenetv2.py):
 * NCHW viewed as [N, groups, C/groups, H, W], dims 1 and 2 transposed, flattened back to [N, C, H, W]; a flat
 * [N, C] the same way without H and W.
 */

import { noWeights } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const channelShuffleTorch: TorchRuleOf<'channelShuffle'> = {
  emit: ({ p, inShape, rank }) => {
    const c = inShape[rank - 1];
    const space = rank === 3 ? `, ${inShape[0]}, ${inShape[1]}` : '';
    return { forward: [`$out = $x.view(-1, ${p.groups}, ${c / p.groups}${space}).transpose(1, 2).reshape(-1, ${c}${space})`] };
  },
  stateDict: noWeights,
};
