/**
 * Lookups over the table of layer kinds (`src/kinds/registry.ts`, the one list of kinds). The palette, the
 * inspector, validation and analysis read kinds through these; each backend reads its own table, typed by it.
 */

import type { LayerKind } from '../contract/layer-kind.ts';
import { LAYER_KINDS, type KindName } from '../kinds/registry.ts';

export { LAYER_KINDS, type KindDef, type KindName, type KindParams, type KindWeights } from '../kinds/registry.ts';

export const KIND_NAMES: readonly KindName[] = LAYER_KINDS.map((k) => k.kind);

const byKind = new Map<string, LayerKind>(LAYER_KINDS.map((k) => [k.kind, k]));

/** The definition of a kind, or `undefined` for a name Convas does not know. */
export function getLayerKind(kind: string): LayerKind | undefined {
  return byKind.get(kind);
}

export function isKindName(kind: string): kind is KindName {
  return byKind.has(kind);
}

/**
 * Whether a kind reads the network's data rather than another layer's output: it takes no inputs
 * (`arity.max` 0), as `input` does. False for a name Convas does not know.
 */
export function isInputKind(kind: string): boolean {
  return byKind.get(kind)?.arity.max === 0;
}

/**
 * Whether a kind can carry a bias: its params schema has a `useBias` switch (conv2d, depthwiseConv2d, dense).
 * Read off the schema, so a new kind with `useBias` counts without a list to update.
 */
export function hasBiasParam(kind: string): boolean {
  const k = byKind.get(kind);
  return !!k && 'useBias' in k.params;
}
