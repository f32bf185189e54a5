import { formatInt } from '../../contract/format.ts';
import { defineLayer, NO_COUNTS, NO_WEIGHTS, RF_IDENTITY } from '../../contract/layer-kind.ts';
import { MAX_DIM } from '../../contract/params.ts';

/**
 * ShuffleNet's channel shuffle (Zhang et al. 2018; Ma et al. 2018 for v2): the C channels, read as `groups` rows
 * of C/groups, are read out by columns, so output channel j·groups + i is input channel i·(C/groups) + j
 * (torchvision's `channel_shuffle`: view as [N, groups, C/groups, H, W], transpose 1 and 2, flatten back). On an
 * `[H, W, C]` map or a flat `[C]` vector; `groups` must divide C. Nothing is computed: 0 parameters, 0 MACs
 * (docs/design-format.md#layer-kinds), and each output pixel is its own input pixel (the field passes unchanged).
 */
export const channelShuffle = defineLayer({
  kind: 'channelShuffle',
  title: 'Channel shuffle',
  category: 'merge',
  doc: 'Interleaves the channels of its groups (ShuffleNet), so that the next split or grouped layer sees channels of every group. Output channel j·groups + i is input channel i·(C/groups) + j.',
  params: {
    groups: { type: 'int', min: 1, max: MAX_DIM, initial: 2, label: 'Groups', help: 'must divide the channels; ShuffleNet v2 shuffles 2 (after joining its two branches)' },
  },
  arity: { min: 1, max: 1 },
  outputShape([x], p) {
    const c = x[x.length - 1];
    // the wording the groups quick fix recognises (src/engine/quick-fixes.ts), as conv2d's
    if (c % p.groups !== 0) return `groups ${p.groups} does not divide its ${c} input channels`;
    return [...x];
  },
  counts: () => NO_COUNTS,
  receptiveField: () => RF_IDENTITY,
  summary: (p) => `shuffle · ${p.groups} groups`,
  explain: ({ params: p, inputs: [x] }) => {
    const c = x[x.length - 1];
    const per = c / p.groups;
    return [
      `C = ${formatInt(c)} = ${p.groups} groups × ${formatInt(per)} channels`,
      `output channel j·${p.groups} + i = input channel i·${formatInt(per)} + j  (i < ${p.groups}, j < ${formatInt(per)})`,
      'params = 0, MACs = 0  (channels are moved, nothing is computed)',
    ];
  },
  initialWeights: NO_WEIGHTS,
});
