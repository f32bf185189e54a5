/** tfjs rule of `lrn`: the `LocalResponseNorm` layer of backends/tfjs-layers.ts. */

import { LocalResponseNorm } from '../../backends/tfjs-layers.ts';
import { apply, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const lrnTfjs: TfjsRuleOf<'lrn'> = {
  compile: (ctx) => apply(new LocalResponseNorm({
    depthRadius: ctx.params.depthRadius, bias: ctx.params.bias, alpha: ctx.params.alpha, beta: ctx.params.beta, name: ctx.name,
  }), ctx.inputs[0]),
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};
