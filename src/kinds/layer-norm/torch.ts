/**
 * Layer norm in PyTorch, ConvNeXt's way: `nn.LayerNorm(C, eps)` over the last dim, so its state-dict keys are
 * `<attr>.weight` (gamma) and `<attr>.bias` (beta), the keys torchvision's `LayerNorm2d` (a subclass of
 * `nn.LayerNorm`) has too, and a ConvNeXt state dict loads. On NCHW the forward is `LayerNorm2d`'s own: permute to
 * NHWC, normalize over C, permute back. A flat `[N, C]` is normalized as it is. Written out rather than importing
 * torchvision, so the exported file needs torch alone.
 */

import type { TorchRuleOf } from '../rules.ts';

export const layerNormTorch: TorchRuleOf<'layerNorm'> = {
  emit: ({ p, inShape, rank, attr }) => ({
    init: `nn.LayerNorm(${inShape[rank - 1]}, eps=${p.epsilon})`,
    forward: [rank === 3 ? `$out = ${attr}($x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)` : `$out = ${attr}($x)`],
  }),
  stateDict: (w) => [['weight', w.gamma], ['bias', w.beta]],
};
