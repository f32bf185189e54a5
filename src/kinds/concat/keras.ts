/**
 * Keras import of `concat`: a `Concatenate` over the channels (an explicit axis is checked against the input's
 * rank once shapes are known: `checkShape`; a grouped convolution's concatenation is folded by the importer).
 */

import { z } from 'zod';
import { channelsAxisProblem, kerasClass } from '../../backends/keras-rule.ts';
import { commonFields } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

export const concatKeras: KerasRuleOf<'concat'> = {
  classes: {
    Concatenate: kerasClass(z.object({ ...commonFields, axis: z.number({ error: 'expected an integer axis' }).int().optional() }), () => ({}), {
      checkShape: (c, name, shape) => channelsAxisProblem(name, 'concatenation', c.axis, shape),
    }),
  },
};
