/** Dense in PyTorch: `nn.Linear`, its kernel [N, units] as [units, N] (the export flattens channels-last). */

import { transpose, weightAndBias, withActivation, type TorchRule } from '../../export/torch-rule.ts';

export const denseTorch: TorchRule<'dense'> = {
  emit: ({ p, inShape, attr }) => ({
    init: `nn.Linear(${inShape[0]}, ${p.units}${p.useBias ? '' : ', bias=False'})`,
    forward: withActivation([`$out = ${attr}($x)`], p.activation),
  }),
  stateDict: (w) => weightAndBias(transpose(w.kernel, [1, 0]), w),
};
