/**
 * The examples table: every kind's params that fit an input and random params for one (`./example.ts` says what
 * they are), typed by the registry's kind names, so a kind without examples is a `tsc` error here. Read by tests
 * only: the initial-weights test, and the property test that runs generated designs through tfjs, ONNX Runtime and
 * PyTorch (src/drivers/export/backends.property.test.ts).
 */

import { activationExamples } from './activation/examples.ts';
import { addExamples } from './add/examples.ts';
import { batchNormExamples } from './batch-norm/examples.ts';
import { scaleExamples } from './scale/examples.ts';
import { multiplyExamples } from './multiply/examples.ts';
import { channelShuffleExamples } from './channel-shuffle/examples.ts';
import { channelSliceExamples } from './channel-slice/examples.ts';
import { concatExamples } from './concat/examples.ts';
import { conv2dExamples } from './conv2d/examples.ts';
import { denseExamples } from './dense/examples.ts';
import { depthwiseConv2dExamples } from './depthwise-conv2d/examples.ts';
import { dropoutExamples } from './dropout/examples.ts';
import type { KindExamples } from './example.ts';
import { flattenExamples } from './flatten/examples.ts';
import { globalAvgPoolExamples, globalMaxPoolExamples } from './global-pool/examples.ts';
import { inputExamples } from './input/examples.ts';
import { lrnExamples } from './lrn/examples.ts';
import { layerNormExamples } from './layer-norm/examples.ts';
import { avgPool2dExamples, maxPool2dExamples } from './pool2d/examples.ts';
import type { KindName } from './registry.ts';
import { separableConv2dExamples } from './separable-conv2d/examples.ts';
import { zeroPad2dExamples } from './zero-pad2d/examples.ts';
import { upsample2dExamples } from './upsample2d/examples.ts';
import { cropping2dExamples } from './cropping2d/examples.ts';
import { conv2dTransposeExamples } from './conv2d-transpose/examples.ts';

export const KIND_EXAMPLES: { [K in KindName]: KindExamples<K> } = {
  input: inputExamples,
  conv2d: conv2dExamples,
  depthwiseConv2d: depthwiseConv2dExamples,
  separableConv2d: separableConv2dExamples,
  maxPool2d: maxPool2dExamples,
  avgPool2d: avgPool2dExamples,
  globalAvgPool: globalAvgPoolExamples,
  globalMaxPool: globalMaxPoolExamples,
  flatten: flattenExamples,
  dense: denseExamples,
  batchNorm: batchNormExamples,
  scale: scaleExamples,
  multiply: multiplyExamples,
  layerNorm: layerNormExamples,
  channelShuffle: channelShuffleExamples,
  channelSlice: channelSliceExamples,
  activation: activationExamples,
  dropout: dropoutExamples,
  lrn: lrnExamples,
  zeroPad2d: zeroPad2dExamples,
  upsample2d: upsample2dExamples,
  cropping2d: cropping2dExamples,
  add: addExamples,
  concat: concatExamples,
  conv2dTranspose: conv2dTransposeExamples,
};

