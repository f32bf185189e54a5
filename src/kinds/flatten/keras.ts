/**
 * Keras import of `flatten`: a `Flatten`, or a `Reshape` to a flat `[N]` (Convas writes one for a flatten of a
 * flat vector; that N holds the input is checked once shapes are known, `checkShape`).
 */

import { z } from 'zod';
import { ImportError, kerasClass } from '../../backends/keras-rule.ts';
import { commonFields, posInt, preview } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

export const flattenKeras: KerasRuleOf<'flatten'> = {
  classes: {
    Flatten: kerasClass(z.object({ ...commonFields }), () => ({})),
    Reshape: kerasClass(z.object({ ...commonFields, target_shape: z.array(posInt, { error: 'expected a list of positive integers' }) }), (c, name) => {
      if (c.target_shape.length !== 1) throw new ImportError(`layer '${name}': field 'target_shape': ${preview(c.target_shape)} (Convas reshapes only to a flat [N], as a flatten, or to (1, 1, C) right after a flat global pool or into a Multiply, as a squeeze-and-excitation gate)`);
      return {};
    }, {
      checkShape: (c, name, shape) => (!shape || shape.reduce((a, b) => a * b, 1) === c.target_shape[0] ? null
        : `layer '${name}': field 'target_shape': [${c.target_shape[0]}] does not hold its [${shape.join(', ')}] input`),
    }),
  },
};
