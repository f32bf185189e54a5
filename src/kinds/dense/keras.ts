/** Keras import of `dense`: a `Dense`. */

import { z } from 'zod';
import { activationName, kerasClass } from '../../backends/keras-rule.ts';
import { activationField, commonFields, posInt } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

export const denseKeras: KerasRuleOf<'dense'> = {
  classes: {
    Dense: kerasClass(
      z.object({ ...commonFields, units: posInt, use_bias: z.boolean().optional(), activation: activationField.optional() }),
      (c, name) => ({ units: c.units, useBias: c.use_bias ?? true, activation: activationName(name, c.activation) }),
    ),
  },
};
