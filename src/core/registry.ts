/**
 * The one table of layer kinds. Adding a kind is adding a module under `layers/` and a line here;
 * the palette, the inspector, validation, analysis and the compiler follow from it.
 */

import type { LayerKind } from './layer-kind.ts';
import { activation } from './layers/activation.ts';
import { add } from './layers/add.ts';
import { batchNorm } from './layers/batch-norm.ts';
import { concat } from './layers/concat.ts';
import { conv2d } from './layers/conv2d.ts';
import { dense } from './layers/dense.ts';
import { depthwiseConv2d } from './layers/depthwise-conv2d.ts';
import { dropout } from './layers/dropout.ts';
import { flatten } from './layers/flatten.ts';
import { globalAvgPool, globalMaxPool } from './layers/global-pool.ts';
import { input } from './layers/input.ts';
import { lrn } from './layers/lrn.ts';
import { avgPool2d, maxPool2d } from './layers/pool2d.ts';
import { zeroPad2d } from './layers/zero-pad2d.ts';

export const LAYER_KINDS = [
  input, conv2d, depthwiseConv2d, maxPool2d, avgPool2d, globalAvgPool, globalMaxPool, flatten, dense,
  batchNorm, activation, dropout, lrn, zeroPad2d, add, concat,
] as const satisfies readonly LayerKind[];

/** Every kind's name, read off the table above (the one list: a kind is added there and nowhere else). */
export type KindName = (typeof LAYER_KINDS)[number]['kind'];
export const KIND_NAMES: readonly KindName[] = LAYER_KINDS.map((k) => k.kind);

const byKind = new Map<string, LayerKind>(LAYER_KINDS.map((k) => [k.kind, k]));

/** The definition of a kind, or `undefined` for a name Convas does not know. */
export function getLayerKind(kind: string): LayerKind | undefined {
  return byKind.get(kind);
}

export function isKindName(kind: string): kind is KindName {
  return byKind.has(kind);
}
