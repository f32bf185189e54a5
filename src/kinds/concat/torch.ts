/** Concatenate in PyTorch: `torch.cat` along the channels (dim 1 in NCHW). */

import { noWeights, type TorchRule } from '../../export/torch-rule.ts';

export const concatTorch: TorchRule<'concat'> = { emit: () => ({ forward: ['$out = torch.cat([$list], dim=1)'] }), stateDict: noWeights };
