/**
 * Layer scale in PyTorch: the factors as one `nn.Parameter` of shape [C] (state-dict key `<attr>.gamma`, Keras's
 * name), held in an `nn.ParameterDict` because the export keys every tensor `<attr>.<suffix>` (torch-layout.ts) and
 * a bare parameter would be keyed `<attr>` alone. Multiplied along the channels: dim 1 of NCHW (viewed as
 * [1, C, 1, 1]), the last dim of a flat [N, C] (plain broadcasting).
 */

import { pyFloat } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const scaleTorch: TorchRuleOf<'scale'> = {
  emit: ({ p, inShape, rank, attr }) => ({
    init: `nn.ParameterDict({"gamma": nn.Parameter(torch.full((${inShape[rank - 1]},), ${pyFloat(p.initValue)}))})`,
    forward: [`$out = $x * ${attr}["gamma"]${rank === 3 ? '.view(1, -1, 1, 1)' : ''}`],
  }),
  stateDict: (w) => [['gamma', w.gamma]],
};
