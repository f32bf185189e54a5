/** Keras import of `globalAvgPool` and `globalMaxPool`: `GlobalAveragePooling2D`, `GlobalMaxPooling2D` (flat [C]: no keepdims). */

import { z } from 'zod';
import { ImportError, kerasClass, type KerasClassRule, type KerasRule } from '../../export/keras-rule.ts';
import { commonFields } from '../../export/keras-schema.ts';

const globalSchema = z.object({ ...commonFields, keepdims: z.boolean().optional() });

/** The one conversion both global pools share. */
function globalClass<K extends 'globalAvgPool' | 'globalMaxPool'>(): KerasClassRule<K, typeof globalSchema> {
  return kerasClass<K, typeof globalSchema>(globalSchema, (c, name) => {
    if (c.keepdims) throw new ImportError(`layer '${name}': field 'keepdims': true (Convas's global pools give a flat [C])`);
    return {};
  });
}

export const globalAvgPoolKeras: KerasRule<'globalAvgPool'> = { classes: { GlobalAveragePooling2D: globalClass() } };
export const globalMaxPoolKeras: KerasRule<'globalMaxPool'> = { classes: { GlobalMaxPooling2D: globalClass() } };
