/** A test design for the exports: every registered layer kind (a test holds it to the registry). */

import type { Design } from '../core/index.ts';
import { DesignBuilder } from '../core/testing/build.ts';

/** One design with every kind that has weights or exact padding rules (asymmetric 'same', ceil mode, groups). */
export function everyKind(): Design {
  const b = new DesignBuilder('every kind');
  b.input([17, 17, 4]);
  b.add('conv2d', { filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }, 'in', 'c1');
  b.add('batchNorm', { epsilon: 0.01, momentum: 0.9 }, 'c1', 'bn');
  b.add('conv2d', { filters: 8, kernelSize: 3, groups: 2, padding: 1, activation: 'elu' }, 'bn', 'grp');
  b.add('conv2d', { filters: 16, kernelSize: 3, groups: 8, padding: 'same' }, 'grp', 'dwgrp');
  b.add('depthwiseConv2d', { kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu6' }, 'grp', 'dw');
  // separable: uneven 'same' padding (stride 2 on 9×9), a depth multiplier and an activation
  b.add('separableConv2d', { filters: 6, kernelSize: 3, strides: 2, depthMultiplier: 2, padding: 'same', activation: 'relu' }, 'grp', 'sep');
  b.add('concat', {}, ['dwgrp', 'dw'], 'cat');
  b.add('lrn', { depthRadius: 2, bias: 1, alpha: 0.5, beta: 0.75 }, 'cat', 'lrn');
  b.add('conv2d', { filters: 8, kernelSize: 3, dilation: 2, padding: 'same', activation: 'swish' }, 'lrn', 'dil');
  b.add('maxPool2d', { poolSize: 2, strides: 2, ceilMode: true }, 'dil', 'mp');
  b.add('avgPool2d', { poolSize: 2, strides: 2, padding: 'same' }, 'dil', 'ap');
  // a ceil-mode average pool whose last window hangs over: PyTorch divides by the cells it covers
  b.add('avgPool2d', { poolSize: 2, strides: 2, ceilMode: true }, 'dil', 'apc');
  b.add('add', {}, ['mp', 'ap', 'apc'], 'sum');
  b.add('zeroPad2d', { padding: [1, 2] }, 'sum', 'zp');
  b.add('activation', { fn: 'tanh' }, 'zp', 'act');
  b.add('flatten', {}, 'act', 'flat');
  b.add('dense', { units: 12, activation: 'selu' }, 'flat', 'fc1');
  b.add('dropout', { rate: 0.3 }, 'fc1', 'drop');
  b.add('dense', { units: 5, activation: 'softmax' }, 'drop', 'fc2');
  b.add('globalAvgPool', {}, 'dil', 'gap');
  b.add('dense', { units: 3, activation: 'sigmoid', useBias: false }, 'gap', 'head2');
  b.add('globalMaxPool', {}, 'zp', 'gmp');
  // flatten of an already flat vector passes it through (contract §1)
  b.add('flatten', {}, 'gmp', 'flatFlat');
  b.add('batchNorm', {}, 'flatFlat', 'bnFlat');
  // Unbounded outputs too, so the softmax/sigmoid heads cannot hide a difference.
  b.add('conv2d', { filters: 4, kernelSize: 1 }, 'sum', 'probe');
  b.add('activation', { fn: 'softplus' }, 'lrn', 'probe2');
  return b.design();
}

