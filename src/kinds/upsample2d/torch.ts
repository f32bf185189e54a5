/**
 * Upsampling in PyTorch: `nn.Upsample(scale_factor=(sh, sw), mode=…)`, bilinear with `align_corners=False` (the
 * half-pixel rule the kind defines; PyTorch's default too, written out so a reader need not know it).
 */

import { noWeights, tuple } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const upsample2dTorch: TorchRuleOf<'upsample2d'> = {
  emit: ({ p, attr }) => {
    const mode = p.interpolation === 'nearest' ? `mode='nearest'` : `mode='bilinear', align_corners=False`;
    return { init: `nn.Upsample(scale_factor=${tuple(p.size)}, ${mode})`, forward: [`$out = ${attr}($x)`] };
  },
  stateDict: noWeights,
};
