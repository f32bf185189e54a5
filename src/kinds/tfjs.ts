/**
 * The tfjs backend's table of kinds: one rule per kind (`src/kinds/<kind>/tfjs.ts`), typed by the registry, so a
 * kind without a tfjs rule is a `tsc` error here. `drivers/compile/index.ts` dispatches through it.
 */

import type { KindName } from './registry.ts';
import { activationTfjs } from './activation/tfjs.ts';
import { addTfjs } from './add/tfjs.ts';
import { batchNormTfjs } from './batch-norm/tfjs.ts';
import { concatTfjs } from './concat/tfjs.ts';
import { conv2dTfjs } from './conv2d/tfjs.ts';
import { denseTfjs } from './dense/tfjs.ts';
import { depthwiseConv2dTfjs } from './depthwise-conv2d/tfjs.ts';
import { dropoutTfjs } from './dropout/tfjs.ts';
import { flattenTfjs } from './flatten/tfjs.ts';
import { globalAvgPoolTfjs, globalMaxPoolTfjs } from './global-pool/tfjs.ts';
import { inputTfjs } from './input/tfjs.ts';
import { lrnTfjs } from './lrn/tfjs.ts';
import { layerNormTfjs } from './layer-norm/tfjs.ts';
import { scaleTfjs } from './scale/tfjs.ts';
import { multiplyTfjs } from './multiply/tfjs.ts';
import { channelShuffleTfjs } from './channel-shuffle/tfjs.ts';
import { channelSliceTfjs } from './channel-slice/tfjs.ts';
import { separableConv2dTfjs } from './separable-conv2d/tfjs.ts';
import { avgPool2dTfjs, maxPool2dTfjs } from './pool2d/tfjs.ts';
import { zeroPad2dTfjs } from './zero-pad2d/tfjs.ts';
import { upsample2dTfjs } from './upsample2d/tfjs.ts';
import { cropping2dTfjs } from './cropping2d/tfjs.ts';
import { conv2dTransposeTfjs } from './conv2d-transpose/tfjs.ts';
import type { TfjsRuleOf } from './rules.ts';

export const TFJS_RULES: { [K in KindName]: TfjsRuleOf<K> } = {
  input: inputTfjs,
  conv2d: conv2dTfjs,
  depthwiseConv2d: depthwiseConv2dTfjs,
  separableConv2d: separableConv2dTfjs,
  maxPool2d: maxPool2dTfjs,
  avgPool2d: avgPool2dTfjs,
  globalAvgPool: globalAvgPoolTfjs,
  globalMaxPool: globalMaxPoolTfjs,
  flatten: flattenTfjs,
  dense: denseTfjs,
  batchNorm: batchNormTfjs,
  activation: activationTfjs,
  dropout: dropoutTfjs,
  lrn: lrnTfjs,
  zeroPad2d: zeroPad2dTfjs,
  upsample2d: upsample2dTfjs,
  cropping2d: cropping2dTfjs,
  add: addTfjs,
  concat: concatTfjs,
  scale: scaleTfjs,
  multiply: multiplyTfjs,
  layerNorm: layerNormTfjs,
  channelShuffle: channelShuffleTfjs,
  channelSlice: channelSliceTfjs,
  conv2dTranspose: conv2dTransposeTfjs,
};
