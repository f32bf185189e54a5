import { defineLayer, NO_COUNTS, NO_WEIGHTS } from '../../contract/layer-kind.ts';
import { needImage } from '../common.ts';

function defineGlobalPool<K extends 'globalAvgPool' | 'globalMaxPool'>(kind: K, word: 'avg' | 'max') {
  return defineLayer({
    kind,
    title: word === 'avg' ? 'Global avg pool' : 'Global max pool',
    category: 'pooling',
    doc: `${word === 'avg' ? 'Averages' : 'Takes the maximum of'} each channel over the whole feature map: [H, W, C] → [C].`,
    params: {},
    arity: { min: 1, max: 1 },
    outputShape: ([x]) => needImage(x) ?? [x[2]],
    counts: () => NO_COUNTS,
    receptiveField: () => 'none',
    summary: () => `global ${word} pool`,
    explain: ({ inputs: [x] }) => [`out = [${x[2]}]: one ${word === 'avg' ? 'mean' : 'maximum'} per channel over ${x[0]}×${x[1]}`],
    initialWeights: NO_WEIGHTS,
  });
}

export const globalAvgPool = defineGlobalPool('globalAvgPool', 'avg');
export const globalMaxPool = defineGlobalPool('globalMaxPool', 'max');
