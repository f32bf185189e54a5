/** Keras import of `activation`: an `Activation`, a `ReLU` (plain or capped at 6) or a `Softmax` over the last axis. */

import { z } from 'zod';
import { activationName, ImportError, kerasClass } from '../../backends/keras-rule.ts';
import { activationField, commonFields, preview } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

export const activationKeras: KerasRuleOf<'activation'> = {
  classes: {
    Activation: kerasClass(z.object({ ...commonFields, activation: activationField }), (c, name) => ({ fn: activationName(name, c.activation) })),
    ReLU: kerasClass(
      z.object({ ...commonFields, max_value: z.union([z.number(), z.null()]).optional(), negative_slope: z.number().optional(), threshold: z.number().optional() }),
      (c, name) => {
        if ((c.negative_slope ?? 0) !== 0) throw new ImportError(`layer '${name}': field 'negative_slope': ${c.negative_slope} (Convas's ReLU has none)`);
        if ((c.threshold ?? 0) !== 0) throw new ImportError(`layer '${name}': field 'threshold': ${c.threshold} (Convas's ReLU has none)`);
        const max = c.max_value ?? null;
        if (max !== null && max !== 6) throw new ImportError(`layer '${name}': field 'max_value': ${max} (Convas has relu and relu6)`);
        return { fn: max === 6 ? 'relu6' : 'relu' };
      },
    ),
    Softmax: kerasClass(z.object({ ...commonFields, axis: z.union([z.number().int(), z.array(z.number().int())]).optional() }), (c, name) => {
      const axis = Array.isArray(c.axis) && c.axis.length === 1 ? c.axis[0] : c.axis ?? -1;
      if (axis !== -1) throw new ImportError(`layer '${name}': field 'axis': softmax over axis ${preview(c.axis)} (Convas's softmax is over the last axis, -1)`);
      return { fn: 'softmax' };
    }),
  },
};
