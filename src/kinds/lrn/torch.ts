/**
 * Local response normalization in PyTorch: `nn.LocalResponseNorm` over 2·radius + 1 channels, alpha multiplied by
 * that size (PyTorch divides by it, TensorFlow does not).
 */

import { noWeights, pyFloat } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const lrnTorch: TorchRuleOf<'lrn'> = {
  emit({ p, attr }) {
    const size = 2 * p.depthRadius + 1;
    return {
      init: `nn.LocalResponseNorm(size=${size}, alpha=${p.alpha * size}, beta=${p.beta}, k=${pyFloat(p.bias)})`,
      forward: [`$out = ${attr}($x)`],
    };
  },
  stateDict: noWeights,
};
