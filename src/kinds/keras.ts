/**
 * The Keras import rules of every kind, one table typed by the registry: a kind without a Keras rule is a `tsc`
 * error here. Each rule lists the Keras/tfjs classes that read as its kind (src/kinds/<kind>/keras.ts);
 * `drivers/import/keras-import.ts` builds its class lookup from this table (a class claimed by two kinds is refused there).
 */

import { activationKeras } from './activation/keras.ts';
import { addKeras } from './add/keras.ts';
import { batchNormKeras } from './batch-norm/keras.ts';
import { concatKeras } from './concat/keras.ts';
import { conv2dKeras } from './conv2d/keras.ts';
import { denseKeras } from './dense/keras.ts';
import { depthwiseConv2dKeras } from './depthwise-conv2d/keras.ts';
import { dropoutKeras } from './dropout/keras.ts';
import { flattenKeras } from './flatten/keras.ts';
import { globalAvgPoolKeras, globalMaxPoolKeras } from './global-pool/keras.ts';
import { inputKeras } from './input/keras.ts';
import { lrnKeras } from './lrn/keras.ts';
import { layerNormKeras } from './layer-norm/keras.ts';
import { scaleKeras } from './scale/keras.ts';
import { multiplyKeras } from './multiply/keras.ts';
import { channelShuffleKeras } from './channel-shuffle/keras.ts';
import { channelSliceKeras } from './channel-slice/keras.ts';
import { separableConv2dKeras } from './separable-conv2d/keras.ts';
import { avgPool2dKeras, maxPool2dKeras } from './pool2d/keras.ts';
import type { KindName } from './registry.ts';
import { zeroPad2dKeras } from './zero-pad2d/keras.ts';
import { upsample2dKeras } from './upsample2d/keras.ts';
import { cropping2dKeras } from './cropping2d/keras.ts';
import { conv2dTransposeKeras } from './conv2d-transpose/keras.ts';
import type { KerasRuleOf } from './rules.ts';

export const KERAS_RULES: { [K in KindName]: KerasRuleOf<K> } = {
  input: inputKeras,
  conv2d: conv2dKeras,
  depthwiseConv2d: depthwiseConv2dKeras,
  separableConv2d: separableConv2dKeras,
  maxPool2d: maxPool2dKeras,
  avgPool2d: avgPool2dKeras,
  globalAvgPool: globalAvgPoolKeras,
  globalMaxPool: globalMaxPoolKeras,
  flatten: flattenKeras,
  dense: denseKeras,
  batchNorm: batchNormKeras,
  activation: activationKeras,
  dropout: dropoutKeras,
  lrn: lrnKeras,
  zeroPad2d: zeroPad2dKeras,
  upsample2d: upsample2dKeras,
  cropping2d: cropping2dKeras,
  add: addKeras,
  concat: concatKeras,
  scale: scaleKeras,
  multiply: multiplyKeras,
  layerNorm: layerNormKeras,
  channelShuffle: channelShuffleKeras,
  channelSlice: channelSliceKeras,
  conv2dTranspose: conv2dTransposeKeras,
};
