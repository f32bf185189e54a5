/** Keras import of `add`: an `Add` (its inputs in Keras inbound order). */

import { z } from 'zod';
import { kerasClass } from '../../backends/keras-rule.ts';
import { commonFields } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

export const addKeras: KerasRuleOf<'add'> = {
  classes: { Add: kerasClass(z.object({ ...commonFields }), () => ({})) },
};
