/**
 * The PyTorch table: every kind's rule (its `emit` of module lines and its weight layout), typed by the registry's
 * kind names, so a kind without a PyTorch rule is a `tsc` error here. Read by drivers/export/pytorch.ts and
 * drivers/export/torch-layout.ts.
 */

import { activationTorch } from './activation/torch.ts';
import { addTorch } from './add/torch.ts';
import { batchNormTorch } from './batch-norm/torch.ts';
import { concatTorch } from './concat/torch.ts';
import { conv2dTorch } from './conv2d/torch.ts';
import { denseTorch } from './dense/torch.ts';
import { depthwiseConv2dTorch } from './depthwise-conv2d/torch.ts';
import { dropoutTorch } from './dropout/torch.ts';
import { flattenTorch } from './flatten/torch.ts';
import { globalAvgPoolTorch, globalMaxPoolTorch } from './global-pool/torch.ts';
import { inputTorch } from './input/torch.ts';
import { lrnTorch } from './lrn/torch.ts';
import { layerNormTorch } from './layer-norm/torch.ts';
import { scaleTorch } from './scale/torch.ts';
import { multiplyTorch } from './multiply/torch.ts';
import { channelShuffleTorch } from './channel-shuffle/torch.ts';
import { channelSliceTorch } from './channel-slice/torch.ts';
import { separableConv2dTorch } from './separable-conv2d/torch.ts';
import { avgPool2dTorch, maxPool2dTorch } from './pool2d/torch.ts';
import type { KindName } from './registry.ts';
import { zeroPad2dTorch } from './zero-pad2d/torch.ts';
import { upsample2dTorch } from './upsample2d/torch.ts';
import { cropping2dTorch } from './cropping2d/torch.ts';
import { conv2dTransposeTorch } from './conv2d-transpose/torch.ts';
import type { TorchRuleOf } from './rules.ts';

export const TORCH_RULES: { [K in KindName]: TorchRuleOf<K> } = {
  input: inputTorch,
  conv2d: conv2dTorch,
  depthwiseConv2d: depthwiseConv2dTorch,
  separableConv2d: separableConv2dTorch,
  maxPool2d: maxPool2dTorch,
  avgPool2d: avgPool2dTorch,
  globalAvgPool: globalAvgPoolTorch,
  globalMaxPool: globalMaxPoolTorch,
  flatten: flattenTorch,
  dense: denseTorch,
  batchNorm: batchNormTorch,
  activation: activationTorch,
  dropout: dropoutTorch,
  lrn: lrnTorch,
  zeroPad2d: zeroPad2dTorch,
  upsample2d: upsample2dTorch,
  cropping2d: cropping2dTorch,
  add: addTorch,
  concat: concatTorch,
  scale: scaleTorch,
  multiply: multiplyTorch,
  layerNorm: layerNormTorch,
  channelShuffle: channelShuffleTorch,
  channelSlice: channelSliceTorch,
  conv2dTranspose: conv2dTransposeTorch,
};
