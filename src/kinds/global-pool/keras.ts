/** Keras import of `globalAvgPool` and `globalMaxPool`: `GlobalAveragePooling2D`, `GlobalMaxPooling2D` (flat [C]: no keepdims). */

import { z } from 'zod';
import { ImportError, kerasClass, type KerasClassRule } from '../../backends/keras-rule.ts';
import { commonFields } from '../../backends/keras-schema.ts';
import type { KindParams } from '../registry.ts';
import type { KerasRuleOf } from '../rules.ts';

const globalSchema = z.object({ ...commonFields, keepdims: z.boolean().optional() });

/** The one conversion both global pools share. */
function globalClass(): KerasClassRule<KindParams<'globalAvgPool' | 'globalMaxPool'>, typeof globalSchema> {
  return kerasClass<KindParams<'globalAvgPool' | 'globalMaxPool'>, typeof globalSchema>(globalSchema, (c, name) => {
    if (c.keepdims) throw new ImportError(`layer '${name}': field 'keepdims': true (Convas's global pools give a flat [C])`);
    return {};
  });
}

export const globalAvgPoolKeras: KerasRuleOf<'globalAvgPool'> = { classes: { GlobalAveragePooling2D: globalClass() } };
export const globalMaxPoolKeras: KerasRuleOf<'globalMaxPool'> = { classes: { GlobalMaxPooling2D: globalClass() } };
