/** Keras import of `dropout`: a `Dropout` (rate 0.5 when absent, Keras's default). */

import { z } from 'zod';
import { kerasClass, type KerasRule } from '../../export/keras-rule.ts';
import { commonFields } from '../../export/keras-schema.ts';

export const dropoutKeras: KerasRule<'dropout'> = {
  classes: {
    Dropout: kerasClass(z.object({ ...commonFields, rate: z.number().min(0).max(1).optional() }), (c) => ({ rate: c.rate ?? 0.5 })),
  },
};
