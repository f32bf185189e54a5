/** Depthwise Conv 2D in PyTorch: an `nn.Conv2d` with one group per input channel. */

import { transpose, weightAndBias } from '../../backends/torch-rule.ts';
import { convModule } from '../conv2d/torch.ts';
import type { TorchRuleOf } from '../rules.ts';

export const depthwiseConv2dTorch: TorchRuleOf<'depthwiseConv2d'> = {
  emit: (ctx) => convModule(ctx, ctx.p, ctx.inShape[2] * ctx.p.depthMultiplier, ctx.inShape[2]),
  // [kh, kw, C, dm] → [C·dm, 1, kh, kw]: output channel c·dm + m, as tfjs orders them
  stateDict(w) {
    const [kh, kw, c, dm] = w.kernel.shape;
    const t = transpose(w.kernel, [2, 3, 0, 1]);
    return weightAndBias({ shape: [c * dm, 1, kh, kw], data: t.data }, w);
  },
};
