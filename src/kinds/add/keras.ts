/** Keras import of `add`: an `Add` (its inputs in Keras inbound order). */

import { z } from 'zod';
import { kerasClass, type KerasRule } from '../../export/keras-rule.ts';
import { commonFields } from '../../export/keras-schema.ts';

export const addKeras: KerasRule<'add'> = {
  classes: { Add: kerasClass(z.object({ ...commonFields }), () => ({})) },
};
