/**
 * Keras import of `multiply`: a `Multiply` (its inputs in Keras inbound order). Keras broadcasts a `[batch, C]`
 * input against a `[batch, H, W, C]` one by inserting the missing axes after the batch (`_Merge.call`), as Convas's
 * `[C]` gate does; tfjs's `Multiply` does the same.
 */

import { z } from 'zod';
import { kerasClass } from '../../backends/keras-rule.ts';
import { commonFields } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

export const multiplyKeras: KerasRuleOf<'multiply'> = {
  classes: { Multiply: kerasClass(z.object({ ...commonFields }), () => ({})) },
};
