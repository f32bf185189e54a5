/**
 * The ONNX table: every kind's rule (the nodes it adds to the graph), typed by the registry's kind names, so a
 * kind without an ONNX rule is a `tsc` error here. Read by drivers/export/onnx.ts.
 */

import { activationOnnx } from './activation/onnx.ts';
import { addOnnx } from './add/onnx.ts';
import { batchNormOnnx } from './batch-norm/onnx.ts';
import { concatOnnx } from './concat/onnx.ts';
import { conv2dOnnx } from './conv2d/onnx.ts';
import { denseOnnx } from './dense/onnx.ts';
import { depthwiseConv2dOnnx } from './depthwise-conv2d/onnx.ts';
import { dropoutOnnx } from './dropout/onnx.ts';
import { flattenOnnx } from './flatten/onnx.ts';
import { globalAvgPoolOnnx, globalMaxPoolOnnx } from './global-pool/onnx.ts';
import { inputOnnx } from './input/onnx.ts';
import { lrnOnnx } from './lrn/onnx.ts';
import { layerNormOnnx } from './layer-norm/onnx.ts';
import { scaleOnnx } from './scale/onnx.ts';
import { multiplyOnnx } from './multiply/onnx.ts';
import { channelShuffleOnnx } from './channel-shuffle/onnx.ts';
import { channelSliceOnnx } from './channel-slice/onnx.ts';
import { separableConv2dOnnx } from './separable-conv2d/onnx.ts';
import { avgPool2dOnnx, maxPool2dOnnx } from './pool2d/onnx.ts';
import type { KindName } from './registry.ts';
import { zeroPad2dOnnx } from './zero-pad2d/onnx.ts';
import { upsample2dOnnx } from './upsample2d/onnx.ts';
import { cropping2dOnnx } from './cropping2d/onnx.ts';
import { conv2dTransposeOnnx } from './conv2d-transpose/onnx.ts';
import type { OnnxRuleOf } from './rules.ts';

export const ONNX_RULES: { [K in KindName]: OnnxRuleOf<K> } = {
  input: inputOnnx,
  conv2d: conv2dOnnx,
  depthwiseConv2d: depthwiseConv2dOnnx,
  separableConv2d: separableConv2dOnnx,
  maxPool2d: maxPool2dOnnx,
  avgPool2d: avgPool2dOnnx,
  globalAvgPool: globalAvgPoolOnnx,
  globalMaxPool: globalMaxPoolOnnx,
  flatten: flattenOnnx,
  dense: denseOnnx,
  batchNorm: batchNormOnnx,
  activation: activationOnnx,
  dropout: dropoutOnnx,
  lrn: lrnOnnx,
  zeroPad2d: zeroPad2dOnnx,
  upsample2d: upsample2dOnnx,
  cropping2d: cropping2dOnnx,
  add: addOnnx,
  concat: concatOnnx,
  scale: scaleOnnx,
  multiply: multiplyOnnx,
  layerNorm: layerNormOnnx,
  channelShuffle: channelShuffleOnnx,
  channelSlice: channelSliceOnnx,
  conv2dTranspose: conv2dTransposeOnnx,
};
