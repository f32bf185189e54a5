/** Concatenate in PyTorch: `torch.cat` along the channels (dim 1 in NCHW). */

import { noWeights } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const concatTorch: TorchRuleOf<'concat'> = { emit: () => ({ forward: ['$out = torch.cat([$list], dim=1)'] }), stateDict: noWeights };
