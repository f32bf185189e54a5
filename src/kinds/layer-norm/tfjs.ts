/**
 * tfjs rule of `layerNorm`: tfjs's own `LayerNormalization` (Keras's class, so the tfjs export reads back as one
 * layer) over the last axis only (`axis: -1`, which its `build` stores as `[rank − 1]` and saves so), with the
 * node's epsilon (tfjs's default is Keras's 1e-3), its weights `gamma` then `beta`, each [C]. It computes the mean
 * and the biased variance (`tf.moments`) of each pixel's C values and `batchNormalization` with them: ConvNeXt's
 * channels-last LayerNorm, checked against torchvision's `LayerNorm2d` in src/drivers/import/layer-norm-kind.test.ts.
 */

import * as tf from '@tensorflow/tfjs';
import { apply, type MemoryTerms } from '../../backends/tfjs-rule.ts';
import type { TfjsRuleOf } from '../rules.ts';

export const layerNormTfjs: TfjsRuleOf<'layerNorm'> = {
  compile(ctx) {
    const layer = tf.layers.layerNormalization({ axis: -1, epsilon: ctx.params.epsilon, name: ctx.name });
    ctx.assign(layer, (w) => [w.gamma, w.beta]);
    return apply(layer, ctx.inputs[0]);
  },
  readWeights(ctx) {
    const [gamma, beta] = ctx.own();
    return { gamma, beta };
  },
  // tfjs 4.22's LayerNormalization tiles the mean, the variance, gamma and beta to the input's full shape before
  // its batchNormalization (tfjs issue 2120: the cpu backend's batch norm does not broadcast) and holds the four
  // until the call ends. tfjs's own count (`tf.profile` of the layer, wasm and cpu) then peaks at the output plus
  // five more copies of it (the four tiles and a reshaped output; `tf.moments` held three before: a float32 cast
  // of x, x − mean, its square), the per-pixel mean and variance, and gamma and beta reshaped.
  memory({ outputShape }): MemoryTerms {
    const size = outputShape.reduce((a, b) => a * b, 1);
    const c = outputShape[outputShape.length - 1];
    return { elements: 5 * size + 2 * (size / c) + 2 * c, indirectionBytes: 0 };
  },
};
