import { formatInt } from '../../contract/format.ts';
import { defineLayer, NO_COUNTS, NO_WEIGHTS, RF_IDENTITY } from '../../contract/layer-kind.ts';
import { MAX_DIM } from '../../contract/params.ts';

/**
 * Channels `start` … `start + size − 1` of an `[H, W, C]` map (`[H, W, size]`) or of a flat `[C]` vector
 * (`[size]`): PyTorch's `x[:, start:start + size]`. A `chunk` or `split` is several slices of one tensor
 * (ShuffleNet v2's channel split is two, `x.chunk(2, dim=1)`). `start + size` must not pass C. Nothing is
 * computed: 0 parameters, 0 MACs (docs/design-format.md#layer-kinds); each output pixel is its own input pixel.
 */
export const channelSlice = defineLayer({
  kind: 'channelSlice',
  title: 'Channel slice',
  category: 'merge',
  doc: 'Keeps channels start … start + size − 1 (a channel split is several slices of one tensor, as ShuffleNet v2 splits its input in two). Output [H, W, size].',
  params: {
    start: { type: 'int', min: 0, max: MAX_DIM, default: 0, label: 'Start', help: 'the first channel kept (0-based)' },
    size: { type: 'int', min: 1, max: MAX_DIM, initial: 16, label: 'Size', help: 'how many channels are kept' },
  },
  arity: { min: 1, max: 1 },
  outputShape([x], p) {
    const c = x[x.length - 1];
    if (p.start + p.size > c) {
      return `channels ${p.start}…${p.start + p.size - 1} run past its ${c} input channels (start + size = ${p.start + p.size} > ${c})`;
    }
    return [...x.slice(0, -1), p.size];
  },
  counts: () => NO_COUNTS,
  receptiveField: () => RF_IDENTITY,
  summary: (p) => `channels ${p.start}…${p.start + p.size - 1}`,
  explain: ({ params: p, inputs: [x] }) => [
    `channels ${formatInt(p.start)} … ${formatInt(p.start)} + ${formatInt(p.size)} − 1 = ${formatInt(p.start + p.size - 1)} of ${formatInt(x[x.length - 1])}: C = ${formatInt(p.size)}`,
    'params = 0, MACs = 0  (channels are picked, nothing is computed)',
  ],
  initialWeights: NO_WEIGHTS,
});
