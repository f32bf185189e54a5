/** Global pooling in PyTorch: the mean or the maximum over the spatial dims (2, 3 in NCHW). */

import { noWeights } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const globalAvgPoolTorch: TorchRuleOf<'globalAvgPool'> = { emit: () => ({ forward: ['$out = $x.mean(dim=(2, 3))'] }), stateDict: noWeights };
export const globalMaxPoolTorch: TorchRuleOf<'globalMaxPool'> = { emit: () => ({ forward: ['$out = $x.amax(dim=(2, 3))'] }), stateDict: noWeights };
