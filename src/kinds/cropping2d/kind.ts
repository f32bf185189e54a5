import { formatPairShort } from '../../contract/format.ts';
import { defineLayer, NO_COUNTS, NO_WEIGHTS } from '../../contract/layer-kind.ts';
import { MAX_WINDOW } from '../../contract/params.ts';
import { needImage } from '../common.ts';

/**
 * Drops `cropping` rows and columns from each side of the map (U-Net's copy and crop; Keras `Cropping2D` with
 * equal sides). Output pixel i is input pixel i + c, so the field moves by c and keeps its size: a step of
 * extent 1, stride 1 and a padding of −c before (docs/design-format.md#layer-kinds).
 */
export const cropping2d = defineLayer({
  kind: 'cropping2d',
  title: 'Cropping',
  category: 'resampling',
  doc: 'Drops rows and columns from each side of the feature map, the same number on both sides (U-Net\'s copy and crop).',
  params: { cropping: { type: 'int2', min: 0, max: MAX_WINDOW, initial: 1, label: 'Cropping', help: 'rows and columns dropped from each side' } },
  arity: { min: 1, max: 1 },
  outputShape([x], p) {
    const bad = needImage(x);
    if (bad) return bad;
    const out: [number, number, number] = [x[0] - 2 * p.cropping[0], x[1] - 2 * p.cropping[1], x[2]];
    if (out[0] < 1 || out[1] < 1) return `cropping ${formatPairShort(p.cropping)} from each side leaves nothing of its ${x[0]}×${x[1]} input`;
    return out;
  },
  counts: () => NO_COUNTS,
  receptiveField: ({ params: p }) => ({ extent: [1, 1], stride: [1, 1], padBefore: [-p.cropping[0], -p.cropping[1]] }),
  summary: (p) => `crop ${formatPairShort(p.cropping)}`,
  explain: ({ params: p, inputs: [x], output }) => [
    `out = (${x[0]} − 2·${p.cropping[0]}) × (${x[1]} − 2·${p.cropping[1]}) = ${output[0]}×${output[1]}`,
    `output pixel (i, j) = input pixel (i + ${p.cropping[0]}, j + ${p.cropping[1]})`,
  ],
  initialWeights: NO_WEIGHTS,
});
