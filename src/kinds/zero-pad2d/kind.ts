import { formatPairShort } from '../../contract/format.ts';
import { defineLayer, NO_COUNTS, NO_WEIGHTS } from '../../contract/layer-kind.ts';
import { MAX_WINDOW } from '../../contract/params.ts';
import { checkDims, needImage } from '../common.ts';

export const zeroPad2d = defineLayer({
  kind: 'zeroPad2d',
  title: 'Zero padding',
  category: 'convolution',
  doc: 'Adds rows and columns of zeros around the feature map, the same on both sides.',
  params: { padding: { type: 'int2', min: 0, max: MAX_WINDOW, initial: 1, label: 'Padding' } },
  arity: { min: 1, max: 1 },
  outputShape: ([x], p) => needImage(x) ?? checkDims([x[0] + 2 * p.padding[0], x[1] + 2 * p.padding[1], x[2]]),
  counts: () => NO_COUNTS,
  receptiveField: ({ params: p }) => ({ extent: [1, 1], stride: [1, 1], padBefore: p.padding }),
  // a 1×1 window at stride 1 over the padded input: each output cell copies one cell, or is a padding zero
  slidingWindow: (p) => ({ direction: 'gather', kernel: [1, 1], stride: [1, 1], dilation: [1, 1], padding: p.padding, word: 'copy' }),
  summary: (p) => `zero pad ${formatPairShort(p.padding)}`,
  explain: ({ params: p, inputs: [x], output }) => [
    `out = (${x[0]} + 2·${p.padding[0]}) × (${x[1]} + 2·${p.padding[1]}) = ${output[0]}×${output[1]}`,
  ],
  initialWeights: NO_WEIGHTS,
});
