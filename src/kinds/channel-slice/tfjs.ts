/**
 * tfjs rule of `channelSlice`: Convas's `ConvasChannelSlice` layer (src/backends/tfjs-layers.ts; the grouped
 * convolutions' slices are the same class), channels `[start, start + size)` of the last axis of `[B, H, W, C]`
 * or `[B, C]`. Its config says `begin`, as it has since grouped convolutions first wrote it.
 */

import { ChannelSlice } from '../../backends/tfjs-layers.ts';
import { apply, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const channelSliceTfjs: TfjsRuleOf<'channelSlice'> = {
  compile: (ctx) => apply(new ChannelSlice({ begin: ctx.params.start, size: ctx.params.size, name: ctx.name }), ctx.inputs[0]),
  readWeights: NO_WEIGHTS_TO_READ,
  memory: NO_MEMORY_TERMS,
};
