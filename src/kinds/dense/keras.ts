/** Keras import of `dense`: a `Dense`. */

import { z } from 'zod';
import { activationName, kerasClass, type KerasRule } from '../../export/keras-rule.ts';
import { activationField, commonFields, posInt } from '../../export/keras-schema.ts';

export const denseKeras: KerasRule<'dense'> = {
  classes: {
    Dense: kerasClass(
      z.object({ ...commonFields, units: posInt, use_bias: z.boolean().optional(), activation: activationField.optional() }),
      (c, name) => ({ units: c.units, useBias: c.use_bias ?? true, activation: activationName(name, c.activation) }),
    ),
  },
};
