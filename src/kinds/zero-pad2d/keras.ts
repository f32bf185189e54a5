/** Keras import of `zeroPad2d`: a symmetric `ZeroPadding2D` (a helper pad before a conv or pool is folded by the importer). */

import { z } from 'zod';
import { ImportError, int2, kerasClass, sides, symmetric } from '../../backends/keras-rule.ts';
import { commonFields, padding2d } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

export const zeroPad2dKeras: KerasRuleOf<'zeroPad2d'> = {
  classes: {
    ZeroPadding2D: kerasClass(z.object({ ...commonFields, padding: padding2d }), (c, name) => {
      const s = sides(c.padding);
      if (!symmetric(s)) throw new ImportError(`layer '${name}': field 'padding': asymmetric zero padding ${JSON.stringify(s)} (Convas's zeroPad2d is symmetric)`);
      return { padding: int2([s[0][0], s[1][0]]) };
    }),
  },
};
