/**
 * Keras import of `scale`: Convas's own `ConvasScale` (its tfjs export; tfjs writes `initValue` as `init_value`),
 * and Keras 3's `LayerScale` (keras/src/applications/convnext.py: `init_values`, `projection_dim`; gamma of shape
 * [projection_dim] multiplied into the last axis, started at `init_values`). Its `projection_dim` must be the
 * input's channels, checked once shapes are known: a different one would be another shape of weights.
 */

import { z } from 'zod';
import { kerasClass } from '../../backends/keras-rule.ts';
import { commonFields, posInt } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

const factor = z.number({ error: 'expected a number' }).finite('expected a finite number');

export const scaleKeras: KerasRuleOf<'scale'> = {
  classes: {
    ConvasScale: kerasClass(
      z.object({ ...commonFields, init_value: factor }),
      (c) => ({ initValue: c.init_value }),
    ),
    LayerScale: kerasClass(
      z.object({ ...commonFields, init_values: factor, projection_dim: posInt }),
      (c) => ({ initValue: c.init_values }),
      {
        checkShape: (c, name, shape) => {
          if (!shape) return `layer '${name}': field 'projection_dim': ${c.projection_dim}, and the shape of its input is unknown (an earlier layer has an error), so Convas cannot tell whether that is its channels`;
          const channels = shape[shape.length - 1];
          return c.projection_dim === channels ? null
            : `layer '${name}': field 'projection_dim': ${c.projection_dim} differs from the ${channels} channels of its [batch, ${shape.join(', ')}] input (Convas's scale has one factor per channel)`;
        },
      },
    ),
  },
};
