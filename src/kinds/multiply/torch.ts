/**
 * Multiply in PyTorch: the inputs multiplied with `*`, in port order. In NCHW an `[N, C, 1, 1]` gate broadcasts
 * as it is; a flat `[N, C]` gate of an image is viewed as `[N, C, 1, 1]` (`[:, :, None, None]`) first, since
 * PyTorch's broadcasting aligns trailing axes and would pair C with W.
 */

import { noWeights } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const multiplyTorch: TorchRuleOf<'multiply'> = {
  emit: ({ a }) => {
    const shapes = a.inputShapes ?? [];
    const image = shapes.some((s) => s?.length === 3);
    return { forward: [`$out = ${shapes.map((s, k) => (image && s?.length === 1 ? `$x${k}[:, :, None, None]` : `$x${k}`)).join(' * ')}`] };
  },
  stateDict: noWeights,
};
