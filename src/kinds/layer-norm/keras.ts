/**
 * Keras import of `layerNorm`: a `LayerNormalization` over the last axis only (`axis` -1, the last index, or a
 * one-element list of either: Keras 2 and tfjs save the axis their `build` resolved, `[3]` for an image; the index
 * is checked against the input's rank once shapes are known: `checkShape`), with gamma and beta. Its epsilon is
 * the config's (Keras's default 1e-3 where the field is absent, not ConvNeXt's 1e-6). Refused, naming the field:
 * several axes (a norm over H, W and C together is another layer), `center`/`scale` false (no beta or no gamma:
 * Convas's layer norm has both, 2·C parameters), and Keras 3's `rms_scaling` (RMS norm: no mean subtracted).
 */

import { z } from 'zod';
import { channelsAxisProblem, ImportError, kerasClass } from '../../backends/keras-rule.ts';
import { commonFields, preview } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

export const layerNormKeras: KerasRuleOf<'layerNorm'> = {
  classes: {
    LayerNormalization: kerasClass(
      z.object({
        ...commonFields,
        axis: z.union([z.number().int(), z.array(z.number().int()).min(1)], { error: 'expected an axis (integer) or a list of axes' }).optional(),
        epsilon: z.number().positive().optional(),
        center: z.boolean().optional(), scale: z.boolean().optional(), rms_scaling: z.boolean().optional(),
      }),
      (c, name) => {
        if (Array.isArray(c.axis) && c.axis.length !== 1) {
          throw new ImportError(`layer '${name}': field 'axis': layer norm over axes ${preview(c.axis)} (Convas normalizes the channels of each pixel, the last axis only)`);
        }
        if (c.center === false || c.scale === false) {
          throw new ImportError(`layer '${name}': field '${c.center === false ? 'center' : 'scale'}': false (Convas's layer norm has gamma and beta)`);
        }
        if (c.rms_scaling) throw new ImportError(`layer '${name}': field 'rms_scaling': true (an RMS norm, which subtracts no mean; Convas's layer norm does)`);
        return { epsilon: c.epsilon ?? 0.001 };
      },
      { checkShape: (c, name, shape) => channelsAxisProblem(name, 'layer norm', Array.isArray(c.axis) ? c.axis[0] : c.axis, shape) },
    ),
  },
};
