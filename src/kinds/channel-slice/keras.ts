/**
 * Keras import of `channelSlice`: Convas's own `ConvasChannelSlice` (src/backends/tfjs-layers.ts; `begin`, `size`
 * over the last axis). The same class inside a grouped convolution Convas wrote (`<id>__slice<g>` → `Conv2D` →
 * `Concatenate`) is folded into that convolution by the importer instead. Channels past the input's are refused
 * once shapes are known (the slice would read nothing there).
 */

import { z } from 'zod';
import { kerasClass } from '../../backends/keras-rule.ts';
import { commonFields, nonNegInt, posInt } from '../../backends/keras-schema.ts';
import type { KerasRuleOf } from '../rules.ts';

export const channelSliceKeras: KerasRuleOf<'channelSlice'> = {
  classes: {
    ConvasChannelSlice: kerasClass(
      z.object({ ...commonFields, begin: nonNegInt, size: posInt }),
      (c) => ({ start: c.begin, size: c.size }),
      {
        checkShape: (c, name, shape) => {
          if (!shape) return null;
          const channels = shape[shape.length - 1];
          return c.begin + c.size <= channels ? null
            : `layer '${name}': fields 'begin'/'size': channels ${c.begin}…${c.begin + c.size - 1} run past the ${channels} channels of its [batch, ${shape.join(', ')}] input`;
        },
      },
    ),
  },
};
