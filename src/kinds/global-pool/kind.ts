import { defineLayer, NO_COUNTS, NO_WEIGHTS } from '../../contract/layer-kind.ts';
import { needImage } from '../common.ts';

/**
 * The global pools: one mean or maximum per channel over the whole map. `keepDims` (docs/design-format.md#layer-kinds) keeps the result
 * as a `[1, 1, C]` map, the form a squeeze-and-excitation gate feeds to its 1×1 convolutions (PyTorch's
 * `AdaptiveAvgPool2d(1)`, Keras's `keepdims=True`); false gives the flat `[C]` a classifier's dense layer takes.
 * Either way the output sees the whole input: its receptive field is null, and a merge it reaches reports
 * `global: true` (docs/receptive-field.md#global-paths).
 */
function defineGlobalPool<K extends 'globalAvgPool' | 'globalMaxPool'>(kind: K, word: 'avg' | 'max') {
  return defineLayer({
    kind,
    title: word === 'avg' ? 'Global avg pool' : 'Global max pool',
    category: 'pooling',
    doc: `${word === 'avg' ? 'Averages' : 'Takes the maximum of'} each channel over the whole feature map: [H, W, C] → [C], or [1, 1, C] with keep dims.`,
    params: {
      keepDims: { type: 'bool', default: false, label: 'Keep dims', help: 'give a [1, 1, C] map (a squeeze-and-excitation gate) instead of a flat [C]' },
    },
    arity: { min: 1, max: 1 },
    outputShape: ([x], p) => needImage(x) ?? (p.keepDims ? [1, 1, x[2]] : [x[2]]),
    counts: () => NO_COUNTS,
    receptiveField: () => 'none',
    summary: (p) => `global ${word} pool${p.keepDims ? ' · 1×1' : ''}`,
    explain: ({ inputs: [x], params: p }) => [
      `out = ${p.keepDims ? `[1, 1, ${x[2]}]` : `[${x[2]}]`}: one ${word === 'avg' ? 'mean' : 'maximum'} per channel over ${x[0]}×${x[1]}`,
    ],
    initialWeights: NO_WEIGHTS,
  });
}

export const globalAvgPool = defineGlobalPool('globalAvgPool', 'avg');
export const globalMaxPool = defineGlobalPool('globalMaxPool', 'max');
