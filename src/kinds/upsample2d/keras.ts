/**
 * Keras import of `upsample2d`: `UpSampling2D` with `interpolation` nearest (Keras's default) or bilinear, read as
 * Keras defines them (TensorFlow 2's `resize`: half-pixel centres, PyTorch's `align_corners=False`). Keras 3's other
 * interpolations (bicubic, lanczos, area) compute other values and are refused, naming the layer.
 */

import { z } from 'zod';
import { ImportError, int2, kerasClass } from '../../backends/keras-rule.ts';
import { commonFields, int2 as int2Field, preview } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';
import { UPSAMPLE_INTERPOLATIONS, type UpsampleInterpolation } from './kind.ts';

const isKnown = (v: string): v is UpsampleInterpolation => (UPSAMPLE_INTERPOLATIONS as readonly string[]).includes(v);

export const upsample2dKeras: KerasRuleOf<'upsample2d'> = {
  classes: {
    UpSampling2D: kerasClass(z.object({ ...commonFields, size: int2Field.optional(), interpolation: z.string({ error: 'expected a string' }).optional() }), (c, name) => {
      const interpolation = c.interpolation ?? 'nearest';
      if (!isKnown(interpolation)) {
        throw new ImportError(`layer '${name}': field 'interpolation': ${preview(interpolation)} is not one Convas's upsample2d computes (nearest or bilinear)`);
      }
      return { size: int2(c.size ?? 2), interpolation };
    }),
  },
};
