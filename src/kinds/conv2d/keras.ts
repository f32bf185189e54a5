/** Keras import of `conv2d`: a `Conv2D` (tfjs's grouped convolution, written as slices, is folded by the importer). */

import { z } from 'zod';
import { activationName, int2, kerasClass } from '../../backends/keras-rule.ts';
import { activationField, commonFields, int2 as int2Field, paddingWord, posInt } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

export const conv2dKeras: KerasRuleOf<'conv2d'> = {
  classes: {
    Conv2D: kerasClass(
      z.object({
        ...commonFields, filters: posInt, kernel_size: int2Field, strides: int2Field.optional(), padding: paddingWord.optional(),
        dilation_rate: int2Field.optional(), groups: posInt.optional(), use_bias: z.boolean().optional(), activation: activationField.optional(),
      }),
      (c, name) => ({
        filters: c.filters, kernelSize: int2(c.kernel_size), strides: int2(c.strides ?? 1), padding: c.padding ?? 'valid',
        dilation: int2(c.dilation_rate ?? 1), groups: c.groups ?? 1, useBias: c.use_bias ?? true, activation: activationName(name, c.activation),
      }),
      { convolution: true },
    ),
  },
};
