/** Keras import of `input`: an `InputLayer` (its batch shape, batch first). */

import { z } from 'zod';
import { ImportError, kerasClass } from '../../backends/keras-rule.ts';
import { batchShape, commonFields, preview } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

export const inputKeras: KerasRuleOf<'input'> = {
  classes: {
    InputLayer: kerasClass(
      z.object({ ...commonFields, batch_input_shape: batchShape.optional(), batch_shape: batchShape.optional(), input_shape: batchShape.optional() }),
      (c, name) => {
        const full = c.batch_input_shape ?? c.batch_shape ?? (c.input_shape ? [null, ...c.input_shape] : undefined);
        if (!full) throw new ImportError(`input '${name}': field 'batch_shape' is missing (the input's shape)`);
        const shape = full.slice(1);
        if (shape.length === 0 || shape.some((d) => typeof d !== 'number')) throw new ImportError(`input '${name}': field 'batch_shape': shape ${preview(full)} must be fully known after the batch`);
        return { shape: shape as number[] };
      },
    ),
  },
};
