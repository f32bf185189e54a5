/** Cropping in PyTorch: a slice of the spatial axes of NCHW, `x[:, :, c:H−c, d:W−d]`. */

import { noWeights } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const cropping2dTorch: TorchRuleOf<'cropping2d'> = {
  emit: ({ p: { cropping: [ch, cw] }, inShape }) => ({
    forward: [`$out = $x[:, :, ${ch}:${inShape[0] - ch}, ${cw}:${inShape[1] - cw}]`],
  }),
  stateDict: noWeights,
};
