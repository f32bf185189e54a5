/**
 * Separable Conv 2D in PyTorch: two `nn.Conv2d` in an `nn.ModuleDict` — `depthwise` (one group per input
 * channel, no bias) and `pointwise` (1×1 to the filters, with the bias) — applied in that order, then the
 * activation. State-dict keys: `<attr>.depthwise.weight`, `<attr>.pointwise.weight`, `<attr>.pointwise.bias`.
 */

import { padPlan, transpose, withActivation } from '../../backends/torch-rule.ts';
import { conv2dExpression } from '../conv2d/torch.ts';
import type { TorchRuleOf } from '../rules.ts';

const ONE: [number, number] = [1, 1];

export const separableConv2dTorch: TorchRuleOf<'separableConv2d'> = {
  emit({ a, p, attr, inShape }) {
    const cin = inShape[2];
    const mid = cin * p.depthMultiplier;
    const plan = padPlan(a, p.padding, p.kernelSize, p.strides, p.dilation);
    const depthwise = conv2dExpression(cin, mid, p, plan.padding, cin, false);
    const pointwise = conv2dExpression(mid, p.filters, { kernelSize: ONE, strides: ONE, dilation: ONE }, [0, 0], 1, p.useBias);
    const x = plan.pre ? `F.pad($x, ${plan.pre})` : '$x';
    return {
      init: `nn.ModuleDict({'depthwise': ${depthwise}, 'pointwise': ${pointwise}})`,
      forward: withActivation([`$out = ${attr}['pointwise'](${attr}['depthwise'](${x}))`], p.activation),
    };
  },
  // depthwise [kh, kw, C, dm] → [C·dm, 1, kh, kw] (output channel c·dm + m, as tfjs orders them);
  // pointwise [1, 1, C·dm, filters] → OIHW [filters, C·dm, 1, 1]
  stateDict(w) {
    const [kh, kw, c, dm] = w.depthwiseKernel.shape;
    const depthwise = { shape: [c * dm, 1, kh, kw], data: transpose(w.depthwiseKernel, [2, 3, 0, 1]).data };
    const pointwise = transpose(w.pointwiseKernel, [3, 2, 0, 1]);
    return [['depthwise.weight', depthwise], ['pointwise.weight', pointwise], ...(w.bias ? [['pointwise.bias', w.bias] as [string, typeof w.bias]] : [])];
  },
};
