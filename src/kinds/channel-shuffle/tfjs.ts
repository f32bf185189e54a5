/**
 * tfjs rule of `channelShuffle`, in Keras's own layers so that the export loads without a Convas class: a
 * `Reshape` of `[…, C]` to `[…, groups, C/groups]` (`<id>__groups`), a `Permute` of those two axes
 * (`<id>__swap`), a `Reshape` back to `[…, C]` (the node's layer): torchvision's view → transpose → flatten,
 * channels-last. The same three layers serve a map `[H, W, C]` and a flat `[C]`. The Keras import folds exactly
 * this chain back into the node (src/drivers/import/keras-import.ts).
 */

import * as tf from '@tensorflow/tfjs';
import { apply, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';
import { SHUFFLE_HELPERS, swapLastTwo } from './keras.ts';

export const channelShuffleTfjs: TfjsRuleOf<'channelShuffle'> = {
  compile(ctx) {
    const x = ctx.inputShapes[0];
    const c = x[x.length - 1];
    const g = ctx.params.groups;
    const split = [...x.slice(0, -1), g, c / g];
    const rows = apply(tf.layers.reshape({ targetShape: split, name: ctx.helper(SHUFFLE_HELPERS.split) }), ctx.inputs[0]);
    const cols = apply(tf.layers.permute({ dims: swapLastTwo(split.length), name: ctx.helper(SHUFFLE_HELPERS.swap) }), rows);
    return apply(tf.layers.reshape({ targetShape: [...x], name: ctx.name }), cols);
  },
  readWeights: NO_WEIGHTS_TO_READ,
  // the reshapes are views; the permuted copy is the node's output itself
  memory: NO_MEMORY_TERMS,
};
