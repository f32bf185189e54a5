/**
 * Global pooling in PyTorch: the mean or the maximum over the spatial dims (2, 3 in NCHW); with keepDims, kept as
 * `[N, C, 1, 1]` (`keepdim=True`, what `AdaptiveAvgPool2d(1)` gives).
 */

import { noWeights } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

const keep = (keepDims: boolean) => (keepDims ? ', keepdim=True' : '');

export const globalAvgPoolTorch: TorchRuleOf<'globalAvgPool'> = { emit: ({ p }) => ({ forward: [`$out = $x.mean(dim=(2, 3)${keep(p.keepDims)})`] }), stateDict: noWeights };
export const globalMaxPoolTorch: TorchRuleOf<'globalMaxPool'> = { emit: ({ p }) => ({ forward: [`$out = $x.amax(dim=(2, 3)${keep(p.keepDims)})`] }), stateDict: noWeights };
