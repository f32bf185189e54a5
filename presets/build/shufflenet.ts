/** ShuffleNet v2: torchvision ShuffleNetV2 ×1.0 (Ma et al., "ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture Design", 2018). */

import type { Design } from '../../src/engine/index.ts';
import { Builder, SPREAD } from './builder.ts';

/** torchvision's ShuffleNet v2 batch norm: PyTorch's defaults, eps 1e-5 and momentum 0.1 (Keras momentum 0.9). */
const BN = { epsilon: 1e-5, momentum: 0.9 };

/** `p`: conv without bias, batch norm, and ReLU if `relu`; torchvision numbers them `p.start`, `p.start+1`, … */
function convBn(b: Builder, p: string, start: number, kind: 'conv2d' | 'depthwiseConv2d', params: Record<string, unknown>, relu: boolean): string {
  b.add(kind, `${p}.${start}`, { ...params, useBias: false });
  b.bn(`${p}.${start + 1}`, BN);
  return relu ? b.relu(`${p}.${start + 2}`) : b.last;
}

/** `branch2` (and its stride-2 sibling's second half): 1×1 + BN + ReLU, depthwise 3×3 with the stride + BN, 1×1 + BN + ReLU. */
function branch2(b: Builder, p: string, width: number, stride: number): string {
  convBn(b, p, 0, 'conv2d', { filters: width, kernelSize: 1 }, true);
  convBn(b, p, 3, 'depthwiseConv2d', { kernelSize: 3, strides: stride, padding: 1 }, false);
  return convBn(b, p, 5, 'conv2d', { filters: width, kernelSize: 1 }, true);
}

/**
 * One torchvision `InvertedResidual` `p` (ShuffleNet v2's unit) with `cout` output channels. Stride 1: the input's
 * channels are split in two halves (`chunk(2)`: two `channelSlice` nodes, `p.x1` and `p.x2`), the first passes
 * untouched, the second goes through `branch2`; stride 2: both branches see the whole input (`branch1`: depthwise
 * 3×3 stride 2 + BN, 1×1 + BN + ReLU) and each gives half the output. Then the concat and a channel shuffle with 2
 * groups (`channel_shuffle`, a function in torchvision: `p.shuffle`, the unit's output), so the next unit's split
 * mixes both halves.
 */
function unit(b: Builder, from: string, p: string, cin: number, cout: number, stride: number): string {
  const half = cout / 2;
  return b.inGroup(p, 'block', `${p} (ShuffleNet v2 unit${stride > 1 ? ', stride 2' : ''})`, () => {
    const ends = stride === 1
      ? b.branches(from, [
        () => b.add('channelSlice', `${p}.x1`, { start: 0, size: cin / 2 }),
        () => {
          b.add('channelSlice', `${p}.x2`, { start: cin / 2, size: cin / 2 });
          return branch2(b, `${p}.branch2`, half, 1);
        },
      ], [-SPREAD / 2, SPREAD / 2])
      : b.branches(from, [
        () => {
          convBn(b, `${p}.branch1`, 0, 'depthwiseConv2d', { kernelSize: 3, strides: stride, padding: 1 }, false);
          return convBn(b, `${p}.branch1`, 2, 'conv2d', { filters: half, kernelSize: 1 }, true);
        },
        () => branch2(b, `${p}.branch2`, half, stride),
      ], [-SPREAD / 2, SPREAD / 2]);
    b.concat(`${p}.cat`, ends);
    return b.add('channelShuffle', `${p}.shuffle`, { groups: 2 });
  });
}

/** torchvision `shufflenet_v2_x1_0()`: stages of 4, 8 and 4 units at 116, 232 and 464 channels. */
export function shufflenetV2(): Design {
  const b = new Builder(
    'ShuffleNet v2 ×1.0 (torchvision)',
    [
      'ShuffleNet v2 ×1.0 (Ma et al., "ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture Design", 2018) as',
      'torchvision.models.shufflenet_v2_x1_0 builds it; node ids are torchvision module names. The paper measured speed,',
      'not MACs, and drew four guidelines from it: equal input and output widths cost the least memory traffic, grouped',
      '1×1 convs are slow, fragmented branches are slow, and element-wise operations (adds, activations) are not free.',
      'Its unit follows them: a channel split sends half the channels straight through (x1) and the other half through',
      'a 1×1, a depthwise 3×3 and a 1×1 of equal widths (branch2, no grouped 1×1, no add), the halves are concatenated',
      'and a channel shuffle with two groups interleaves them, so that the next unit\'s split mixes information from',
      'both. Units that halve the resolution feed the whole input to both branches (branch1 takes the stride too) and',
      'so double the width. torchvision writes the split and the shuffle as functions (chunk, channel_shuffle): here',
      'they are channelSlice and channelShuffle nodes. Batch norm uses PyTorch\'s defaults (eps 1e-5).',
    ].join(' '),
  );
  b.input('input', [224, 224, 3]);
  b.inGroup('conv1', 'block', 'conv1 (stem) and maxpool', () => {
    convBn(b, 'conv1', 0, 'conv2d', { filters: 24, kernelSize: 3, strides: 2, padding: 1 }, true);
    return b.maxPool('maxpool', { poolSize: 3, strides: 2, padding: 1 });
  });
  let x = b.last;
  let cin = 24;
  ([[2, 4, 116], [3, 8, 232], [4, 4, 464]] as const).forEach(([stage, repeats, cout]) => {
    for (let i = 0; i < repeats; i++) {
      x = unit(b, x, `stage${stage}.${i}`, cin, cout, i === 0 ? 2 : 1);
      cin = cout;
    }
  });
  b.last = x;
  b.inGroup('conv5', 'block', 'conv5 (1×1 to 1024) and head', () => {
    convBn(b, 'conv5', 0, 'conv2d', { filters: 1024, kernelSize: 1 }, true);
    b.gap('globalpool');
    return b.dense('fc', { units: 1000 });
  });
  return b.design();
}
