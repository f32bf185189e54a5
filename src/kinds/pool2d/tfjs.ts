/**
 * tfjs rules of `maxPool2d` and `avgPool2d`. `ceilMode` pools: the extra bottom/right rows and columns are padded
 * explicitly. Max pools pad with −∞ (a `ConstantPad2d` layer), so padding never wins a max. Avg pools pad with
 * zeros and count the explicit padding (PyTorch's `count_include_pad=True`) but not the extra ceil-mode cells: a
 * `PoolCountScale` layer rescales the last row/column by full window / covered cells, as PyTorch divides.
 * `'same'` avg pools are tfjs's, which leave the padding out of the count (the TensorFlow rule).
 */

import * as tf from '@tensorflow/tfjs';
import { ceilCountScale } from '../../contract/spatial.ts';
import { ConstantPad2d, PoolCountScale } from '../../backends/tfjs-layers.ts';
import { apply, explicitPads, NO_MEMORY_TERMS, NO_WEIGHTS_TO_READ, type RuleContext } from '../../backends/tfjs-rule.ts';
import type { KindParams } from '../registry.ts';
import type { TfjsRuleOf } from '../rules.ts';

function pool(word: 'max' | 'avg') {
  return (ctx: RuleContext<KindParams<'maxPool2d' | 'avgPool2d'>>): tf.SymbolicTensor => {
    const p = ctx.params;
    const { poolSize, strides } = p;
    let x = ctx.inputs[0];
    let padding: 'valid' | 'same' = 'valid';
    if (p.padding === 'same') padding = 'same';
    else {
      const pads = explicitPads(ctx.inputShapes[0], poolSize, strides, [1, 1], p.padding, p.ceilMode);
      if (pads) {
        x = word === 'max'
          ? apply(new ConstantPad2d({ padding: pads, value: -Infinity, name: ctx.helper('pad') }), x)
          : apply(tf.layers.zeroPadding2d({ padding: pads, name: ctx.helper('pad') }), x);
      }
    }
    const args = { poolSize, strides, padding, name: ctx.name };
    if (word === 'max') return apply(tf.layers.maxPooling2d(args), x);
    const y = apply(tf.layers.averagePooling2d(args), x);
    const scale = padding === 'valid' && p.ceilMode ? ceilCountScale(ctx.inputShapes[0], poolSize, strides, p.padding) : null;
    return scale ? apply(new PoolCountScale({ ...scale, name: ctx.helper('count') }), y) : y;
  };
}

export const maxPool2dTfjs: TfjsRuleOf<'maxPool2d'> = { compile: pool('max'), readWeights: NO_WEIGHTS_TO_READ, memory: NO_MEMORY_TERMS };
export const avgPool2dTfjs: TfjsRuleOf<'avgPool2d'> = { compile: pool('avg'), readWeights: NO_WEIGHTS_TO_READ, memory: NO_MEMORY_TERMS };
