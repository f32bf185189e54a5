/**
 * Batch norm in PyTorch: `nn.BatchNorm2d` (images) or `nn.BatchNorm1d` (vectors), momentum converted
 * (PyTorch's = 1 − Keras's); gamma, beta, moving mean, moving variance → weight, bias, running_mean, running_var.
 */

import { pyFloat } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const batchNormTorch: TorchRuleOf<'batchNorm'> = {
  emit: ({ p, inShape, rank, attr }) => ({
    init: `nn.BatchNorm${rank === 3 ? '2d' : '1d'}(${inShape[rank - 1]}, eps=${p.epsilon}, momentum=${pyFloat(Math.round((1 - p.momentum) * 1e9) / 1e9)})`,
    forward: [`$out = ${attr}($x)`],
  }),
  stateDict: (w) => [['weight', w.gamma], ['bias', w.beta], ['running_mean', w.movingMean], ['running_var', w.movingVariance]],
};
