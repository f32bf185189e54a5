/** Keras import of `maxPool2d` and `avgPool2d`: `MaxPooling2D`, `AveragePooling2D` (strides default to the pool size). */

import { z } from 'zod';
import { int2, kerasClass } from '../../backends/keras-rule.ts';
import { commonFields, int2 as int2Field, paddingWord } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

const poolSchema = z.object({ ...commonFields, pool_size: int2Field.optional(), strides: z.union([int2Field, z.null()]).optional(), padding: paddingWord.optional() });

/** The one conversion both pools share. */
const convertPool = (c: z.output<typeof poolSchema>) => ({ poolSize: int2(c.pool_size ?? 2), strides: int2(c.strides ?? c.pool_size ?? 2), padding: c.padding ?? 'valid' });

export const maxPool2dKeras: KerasRuleOf<'maxPool2d'> = { classes: { MaxPooling2D: kerasClass(poolSchema, convertPool) } };
export const avgPool2dKeras: KerasRuleOf<'avgPool2d'> = { classes: { AveragePooling2D: kerasClass(poolSchema, convertPool) } };
