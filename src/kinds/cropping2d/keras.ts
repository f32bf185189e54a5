/** Keras import of `cropping2d`: a `Cropping2D` that crops the same from both sides of each axis. */

import { z } from 'zod';
import { ImportError, int2, kerasClass, sides, symmetric } from '../../backends/keras-rule.ts';
import { commonFields, padding2d } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

export const cropping2dKeras: KerasRuleOf<'cropping2d'> = {
  classes: {
    Cropping2D: kerasClass(z.object({ ...commonFields, cropping: padding2d.optional() }), (c, name) => {
      const s = sides(c.cropping ?? 0);
      if (!symmetric(s)) throw new ImportError(`layer '${name}': field 'cropping': unequal sides ${JSON.stringify(s)} (Convas's cropping2d crops the same number from both sides)`);
      return { cropping: int2([s[0][0], s[1][0]]) };
    }),
  },
};
