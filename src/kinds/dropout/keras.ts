/** Keras import of `dropout`: a `Dropout` (rate 0.5 when absent, Keras's default). */

import { z } from 'zod';
import { kerasClass } from '../../backends/keras-rule.ts';
import { commonFields } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

export const dropoutKeras: KerasRuleOf<'dropout'> = {
  classes: {
    Dropout: kerasClass(z.object({ ...commonFields, rate: z.number().min(0).max(1).optional() }), (c) => ({ rate: c.rate ?? 0.5 })),
  },
};
