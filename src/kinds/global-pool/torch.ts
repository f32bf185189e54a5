/** Global pooling in PyTorch: the mean or the maximum over the spatial dims (2, 3 in NCHW). */

import { noWeights, type TorchRule } from '../../export/torch-rule.ts';

export const globalAvgPoolTorch: TorchRule<'globalAvgPool'> = { emit: () => ({ forward: ['$out = $x.mean(dim=(2, 3))'] }), stateDict: noWeights };
export const globalMaxPoolTorch: TorchRule<'globalMaxPool'> = { emit: () => ({ forward: ['$out = $x.amax(dim=(2, 3))'] }), stateDict: noWeights };
