/** Channel slice in PyTorch: `x[:, start:start + size]` (dim 1: the channels of NCHW, the values of a flat [N, C]). */

import { noWeights } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const channelSliceTorch: TorchRuleOf<'channelSlice'> = {
  emit: ({ p }) => ({ forward: [`$out = $x[:, ${p.start}:${p.start + p.size}]`] }),
  stateDict: noWeights,
};
