/**
 * Keras import of `batchNorm`: a `BatchNormalization` over the channels (the last axis; an explicit axis is
 * checked against the input's rank once shapes are known: `checkShape`), with gamma and beta.
 */

import { z } from 'zod';
import { channelsAxisProblem, ImportError, kerasClass } from '../../backends/keras-rule.ts';
import { commonFields, preview } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

export const batchNormKeras: KerasRuleOf<'batchNorm'> = {
  classes: {
    BatchNormalization: kerasClass(
      z.object({
        ...commonFields,
        axis: z.union([z.number().int(), z.array(z.number().int()).min(1)], { error: 'expected an axis (integer) or a list of axes' }).optional(),
        epsilon: z.number().positive().optional(), momentum: z.number().optional(),
        center: z.boolean().optional(), scale: z.boolean().optional(),
      }),
      (c, name) => {
        if (Array.isArray(c.axis) && c.axis.length !== 1) {
          throw new ImportError(`layer '${name}': field 'axis': batch norm over axes ${preview(c.axis)} (Convas normalizes the channels, the last axis only)`);
        }
        if (c.center === false || c.scale === false) throw new ImportError(`layer '${name}': field '${c.center === false ? 'center' : 'scale'}': false (Convas's batch norm has gamma and beta)`);
        return { epsilon: c.epsilon ?? 0.001, momentum: c.momentum ?? 0.99 };
      },
      { checkShape: (c, name, shape) => channelsAxisProblem(name, 'batch norm', Array.isArray(c.axis) ? c.axis[0] : c.axis, shape) },
    ),
  },
};
