/**
 * Keras import of `globalAvgPool` and `globalMaxPool`: `GlobalAveragePooling2D`, `GlobalMaxPooling2D`, with
 * Keras's `keepdims` (Keras ≥ 2.6; MobileNet v3's squeeze-and-excitation writes it) as keepDims. A `Reshape` to
 * `(1, 1, C)` right after a flat one (EfficientNet's `se_reshape`) is folded into keepDims by the importer.
 */

import { z } from 'zod';
import { kerasClass, type KerasClassRule } from '../../backends/keras-rule.ts';
import { commonFields } from '../../backends/keras-schema.ts';
import type { KindParams } from '../registry.ts';
import type { KerasRuleOf } from '../rules.ts';

const globalSchema = z.object({ ...commonFields, keepdims: z.boolean({ error: 'expected true or false' }).optional() });

/** The one conversion both global pools share. */
function globalClass(): KerasClassRule<KindParams<'globalAvgPool' | 'globalMaxPool'>, typeof globalSchema> {
  return kerasClass<KindParams<'globalAvgPool' | 'globalMaxPool'>, typeof globalSchema>(globalSchema, (c) => (c.keepdims ? { keepDims: true } : {}));
}

export const globalAvgPoolKeras: KerasRuleOf<'globalAvgPool'> = { classes: { GlobalAveragePooling2D: globalClass() } };
export const globalMaxPoolKeras: KerasRuleOf<'globalMaxPool'> = { classes: { GlobalMaxPooling2D: globalClass() } };
