/**
 * The one table of layer kinds. A kind is a folder under `src/kinds/` (its pure definition in `kind.ts`, each
 * backend's rule beside it) and a line here; `KindName` and every kind's params type are read off this table, and
 * each backend's table (`tfjs.ts`, `torch.ts`, `onnx.ts`, `keras.ts` in this folder) is typed by it, so `tsc`
 * names every backend a new kind still lacks.
 */

import type { ParamsOf } from '../contract/params.ts';
import { activation } from './activation/kind.ts';
import { add } from './add/kind.ts';
import { batchNorm } from './batch-norm/kind.ts';
import { concat } from './concat/kind.ts';
import { conv2d } from './conv2d/kind.ts';
import { dense } from './dense/kind.ts';
import { depthwiseConv2d } from './depthwise-conv2d/kind.ts';
import { dropout } from './dropout/kind.ts';
import { flatten } from './flatten/kind.ts';
import { globalAvgPool, globalMaxPool } from './global-pool/kind.ts';
import { input } from './input/kind.ts';
import { lrn } from './lrn/kind.ts';
import { multiply } from './multiply/kind.ts';
import { layerNorm } from './layer-norm/kind.ts';
import { scale } from './scale/kind.ts';
import { channelShuffle } from './channel-shuffle/kind.ts';
import { channelSlice } from './channel-slice/kind.ts';
import { separableConv2d } from './separable-conv2d/kind.ts';
import { avgPool2d, maxPool2d } from './pool2d/kind.ts';
import { zeroPad2d } from './zero-pad2d/kind.ts';
import { upsample2d } from './upsample2d/kind.ts';
import { cropping2d } from './cropping2d/kind.ts';
import { conv2dTranspose } from './conv2d-transpose/kind.ts';

export const LAYER_KINDS = [
  input, conv2d, depthwiseConv2d, separableConv2d, maxPool2d, avgPool2d, globalAvgPool, globalMaxPool, flatten, dense,
  batchNorm, activation, dropout, lrn, zeroPad2d, add, concat, scale,
  multiply, layerNorm,
  channelShuffle, channelSlice,
  upsample2d, cropping2d,
  conv2dTranspose,
] as const;

/** Every kind's name, read off the table above (the one list: a kind is added there and nowhere else). */
export type KindName = (typeof LAYER_KINDS)[number]['kind'];

/** The definition of kind `K`, as its module declares it. */
export type KindDef<K extends KindName> = Extract<(typeof LAYER_KINDS)[number], { kind: K }>;

/**
 * The params of kind `K` as every rule receives them: validated and resolved by the contract's params rules (`validateParams`:
 * defaults filled in, `int2` widened to `[h, w]`, pool strides defaulted to the pool size).
 */
export type KindParams<K extends KindName> = ParamsOf<KindDef<K>['params']>;

/** The weights of kind `K` by role, as its `initialWeights` draws them and every backend's weight rule reads them. */
export type KindWeights<K extends KindName> = ReturnType<KindDef<K>['initialWeights']>;

