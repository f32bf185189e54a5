/** Keras import of `separableConv2d`: a `SeparableConv2D` (Keras 2 and 3, and tfjs's `tf.layers.separableConv2d`). */

import { z } from 'zod';
import { activationName, int2, kerasClass } from '../../backends/keras-rule.ts';
import { activationField, commonFields, int2 as int2Field, paddingWord, posInt } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

export const separableConv2dKeras: KerasRuleOf<'separableConv2d'> = {
  classes: {
    SeparableConv2D: kerasClass(
      z.object({
        ...commonFields, filters: posInt, kernel_size: int2Field, strides: int2Field.optional(), padding: paddingWord.optional(),
        dilation_rate: int2Field.optional(), depth_multiplier: posInt.optional(), use_bias: z.boolean().optional(),
        activation: activationField.optional(),
      }),
      (c, name) => ({
        filters: c.filters, kernelSize: int2(c.kernel_size), strides: int2(c.strides ?? 1), padding: c.padding ?? 'valid',
        dilation: int2(c.dilation_rate ?? 1), depthMultiplier: c.depth_multiplier ?? 1, useBias: c.use_bias ?? true,
        activation: activationName(name, c.activation),
      }),
      { convolution: true },
    ),
  },
};
