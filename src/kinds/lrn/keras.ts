/** Keras import of `lrn`: Convas's own `ConvasLRN` layer (tfjs writes its config in snake case; older Convas files had depthRadius). */

import { z } from 'zod';
import { ImportError, kerasClass } from '../../backends/keras-rule.ts';
import { commonFields } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

export const lrnKeras: KerasRuleOf<'lrn'> = {
  classes: {
    ConvasLRN: kerasClass(
      z.object({ ...commonFields, depth_radius: z.number().optional(), depthRadius: z.number().optional(), bias: z.number(), alpha: z.number(), beta: z.number() }),
      (c, name) => {
        const depthRadius = c.depth_radius ?? c.depthRadius;
        if (depthRadius === undefined) throw new ImportError(`layer '${name}' (ConvasLRN): field 'depth_radius' is missing`);
        return { depthRadius, bias: c.bias, alpha: c.alpha, beta: c.beta };
      },
    ),
  },
};
