/**
 * Max and average pooling in PyTorch: `nn.MaxPool2d` / `nn.AvgPool2d`. TensorFlow's uneven 'same' padding is an
 * `F.pad` first (−∞ for max); its 'same' average counts only the cells inside the image.
 */

import { noWeights, padPlan, tuple, type Emitted } from '../../backends/torch-rule.ts';
import type { TorchEmitContextOf, TorchRuleOf } from '../rules.ts';

function poolModule(ctx: TorchEmitContextOf<'maxPool2d' | 'avgPool2d'>, max: boolean): Emitted {
  const { p } = ctx;
  const plan = padPlan(ctx.a, p.padding, p.poolSize, p.strides, [1, 1], p.ceilMode);
  const args = [`kernel_size=${tuple(p.poolSize)}`, `stride=${tuple(p.strides)}`, `padding=${tuple(plan.padding)}`];
  if (p.ceilMode) args.push('ceil_mode=True');
  // TensorFlow's 'same' average leaves the padding out of the count.
  if (!max && p.padding === 'same') args.push('count_include_pad=False');
  if (!max && plan.pre) {
    // TensorFlow divides by the cells inside the image: the sum over the window / the count of real cells.
    const k = `kernel_size=${tuple(p.poolSize)}, stride=${tuple(p.strides)}`;
    return { forward: [
      `$out = F.avg_pool2d(F.pad($x, ${plan.pre}), ${k}) / F.avg_pool2d(F.pad(torch.ones_like($x[:, :1]), ${plan.pre}), ${k})`,
    ] };
  }
  const x = plan.pre ? `F.pad($x, ${plan.pre}${max ? ", value=float('-inf')" : ''})` : '$x';
  return { init: `nn.${max ? 'MaxPool2d' : 'AvgPool2d'}(${args.join(', ')})`, forward: [`$out = ${ctx.attr}(${x})`] };
}

export const maxPool2dTorch: TorchRuleOf<'maxPool2d'> = { emit: (ctx) => poolModule(ctx, true), stateDict: noWeights };
export const avgPool2dTorch: TorchRuleOf<'avgPool2d'> = { emit: (ctx) => poolModule(ctx, false), stateDict: noWeights };
