/** Dense in PyTorch: `nn.Linear`, its kernel [N, units] as [units, N] (the export flattens channels-last). */

import { transpose, weightAndBias, withActivation } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';

export const denseTorch: TorchRuleOf<'dense'> = {
  emit: ({ p, inShape, attr }) => ({
    init: `nn.Linear(${inShape[0]}, ${p.units}${p.useBias ? '' : ', bias=False'})`,
    forward: withActivation([`$out = ${attr}($x)`], p.activation),
  }),
  stateDict: (w) => weightAndBias(transpose(w.kernel, [1, 0]), w),
};
