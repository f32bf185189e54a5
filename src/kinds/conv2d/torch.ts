/** Conv 2D in PyTorch: `nn.Conv2d`, its HWIO kernel as OIHW. */

import type { ConvLayerValues, ConvWindowValues } from '../common.ts';
import { padPlan, transpose, tuple, weightAndBias, withActivation, type Emitted } from '../../backends/torch-rule.ts';
import type { TorchEmitContextOf, TorchRuleOf } from '../rules.ts';

/**
 * The `nn.Conv2d(...)` expression from `cin` to `cout` channels in `groups` groups with PyTorch padding `padding`
 * (`[ph, pw]`, symmetric): the arguments PyTorch defaults (dilation 1, groups 1, bias) are left out.
 */
export function conv2dExpression(cin: number, cout: number, p: Pick<ConvWindowValues, 'kernelSize' | 'strides' | 'dilation'>, padding: readonly number[], groups: number, bias: boolean): string {
  const args = [`${cin}, ${cout}`, `kernel_size=${tuple(p.kernelSize)}`, `stride=${tuple(p.strides)}`, `padding=${tuple(padding)}`];
  if (p.dilation[0] > 1 || p.dilation[1] > 1) args.push(`dilation=${tuple(p.dilation)}`);
  if (groups > 1) args.push(`groups=${groups}`);
  if (!bias) args.push('bias=False');
  return `nn.Conv2d(${args.join(', ')})`;
}

/**
 * An `nn.Conv2d` from `cin` to `cout` channels in `groups` groups (depthwise: `groups = cin`), 'same' padding
 * that TensorFlow splits unevenly as an `F.pad` first, then the activation.
 */
export function convModule(ctx: TorchEmitContextOf<'conv2d' | 'depthwiseConv2d'>, p: ConvLayerValues, cout: number, groups: number): Emitted {
  const plan = padPlan(ctx.a, p.padding, p.kernelSize, p.strides, p.dilation);
  const x = plan.pre ? `F.pad($x, ${plan.pre})` : '$x';
  return {
    init: conv2dExpression(ctx.inShape[2], cout, p, plan.padding, groups, p.useBias),
    forward: withActivation([`$out = ${ctx.attr}(${x})`], p.activation),
  };
}

export const conv2dTorch: TorchRuleOf<'conv2d'> = {
  emit: (ctx) => convModule(ctx, ctx.p, ctx.p.filters, ctx.p.groups),
  // HWIO [kh, kw, Cin/groups, filters] → OIHW (a grouped conv's output channels are already in PyTorch's group order)
  stateDict: (w) => weightAndBias(transpose(w.kernel, [3, 2, 0, 1]), w),
};
