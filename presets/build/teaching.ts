/**
 * Small designs that each show one idea side by side. The numbers in the descriptions are worked by hand
 * in presets.test.ts.
 */

import type { Design } from '../../src/engine/index.ts';
import { Builder, SPREAD } from './builder.ts';
import { denseLayer, transition } from './densenet.ts';

/** One 5×5 conv beside two stacked 3×3 convs: the same 5×5 view for fewer weights (VGG's argument). */
export function conv5x5vs3x3(): Design {
  const b = new Builder(
    '5×5 conv vs two 3×3 convs',
    [
      'Two ways to look at a 5×5 window of a 56×56×64 feature map, side by side. Left: one 5×5 convolution, 64 → 64 filters,',
      '5·5·64·64 + 64 = 102,464 parameters and 321,126,400 MACs. Right: two stacked 3×3 convolutions with the same 64',
      'channels, 2 · (3·3·64·64 + 64) = 73,856 parameters and 231,211,008 MACs. Both outputs see the same 5×5 input pixels',
      '(select them and compare the receptive field), but the 3×3 pair has 28% fewer weights and an extra ReLU in between, so',
      'it can compute more functions. This is why VGG uses only 3×3 convolutions (three of them see 7×7 for 27·C² weights',
      'instead of 49·C²).',
    ].join(' '),
  );
  const x = b.input('input', [56, 56, 64]);
  b.branches(x, [
    () => b.inGroup('single', 'block', 'one 5×5', () => b.conv('conv5x5', { filters: 64, kernelSize: 5, padding: 'same', activation: 'relu' })),
    () => b.inGroup('stacked', 'block', 'two 3×3', () => {
      b.conv('conv3x3_a', { filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' });
      return b.conv('conv3x3_b', { filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' });
    }),
  ]);
  return b.design();
}

/** A plain 3×3 conv at 256 channels beside the ResNet bottleneck that replaces it. */
export function bottleneck1x1(): Design {
  const b = new Builder(
    '1×1 bottleneck vs plain 3×3',
    [
      'What a 1×1 bottleneck saves, on a 56×56×256 feature map (the width of ResNet-50\'s layer1). Left: one plain 3×3 conv',
      'from 256 to 256 channels, 3·3·256·256 = 589,824 weights and 1,849,688,064 MACs. Right: the ResNet bottleneck (convs',
      'without bias, as in ResNet where batch norm follows them; the batch norms are left out here to keep the counts plain):',
      'a 1×1 conv squeezes 256 channels to 64 (16,384 weights), a 3×3 conv works at 64 channels (36,864), and a 1×1 conv',
      'widens back to 256 (16,384): 69,632 weights and 218,365,952 MACs in all, 8.5× fewer, with the same 3×3 receptive field',
      'and two more ReLUs. The skip edge carries the input around the three convs into the add, so the block only has to',
      'learn a correction to its input; it adds no parameters.',
    ].join(' '),
  );
  const x = b.input('input', [56, 56, 256]);
  b.branches(x, [
    () => b.inGroup('plain', 'block', 'plain 3×3', () =>
      b.conv('conv3x3', { filters: 256, kernelSize: 3, padding: 1, useBias: false, activation: 'relu' })),
    () => b.inGroup('bottleneck', 'residual', 'bottleneck with skip', () => {
      const [main] = b.branches(x, [() => {
        b.conv('conv1_1x1', { filters: 64, kernelSize: 1, padding: 0, useBias: false, activation: 'relu' });
        b.conv('conv2_3x3', { filters: 64, kernelSize: 3, padding: 1, useBias: false, activation: 'relu' });
        return b.conv('conv3_1x1', { filters: 256, kernelSize: 1, padding: 0, useBias: false });
      }], [-SPREAD / 2]);
      b.sum('add', [main, x]);
      return b.relu('relu');
    }),
  ], [-SPREAD, SPREAD]);
  return b.design();
}

/** GoogLeNet's inception (3a) with its 1×1 reductions, beside the naive module without them. */
export function inceptionModule(): Design {
  const b = new Builder(
    'Inception module (3a) vs naive',
    [
      'GoogLeNet\'s inception (3a) on its real input, 28×28×192, with the paper\'s filters and Caffe layer names (left): a 1×1',
      'conv (64); a 1×1 reduction to 96 then a 3×3 (128); a 1×1 reduction to 16 then a 5×5 (32); a 3×3 max pool (stride 1,',
      '"same") then a 1×1 projection (32); concatenated to 28×28×256. All convs have biases and ReLUs, as in the 2014 paper',
      '(no batch norm). Right: the naive module of the paper\'s figure 2(a), the same 1×1, 3×3 and 5×5 convs straight on',
      'the 192 input channels plus the bare pool. Compare: 163,696 parameters and 128,049,152 MACs with the reductions,',
      '387,296 parameters and 303,464,448 MACs without, and the naive output is 28×28×416 because the pool passes all',
      '192 input channels through, so every later module would grow wider still. The 1×1 reductions are what let',
      'GoogLeNet stack nine of these.',
    ].join(' '),
  );
  const x = b.input('input', [28, 28, 192]);
  const conv = (id: string, filters: number, k: number, name: string) =>
    b.conv(id, { filters, kernelSize: k, padding: 'same', activation: 'relu' }, { name });
  b.branches(x, [
    () => b.inGroup('inception_3a', 'inception', 'inception (3a) with 1×1 reductions', () => {
      const ends = b.branches(x, [
        () => conv('inception_3a.1x1', 64, 1, 'inception_3a/1x1'),
        () => {
          conv('inception_3a.3x3_reduce', 96, 1, 'inception_3a/3x3_reduce');
          return conv('inception_3a.3x3', 128, 3, 'inception_3a/3x3');
        },
        () => {
          conv('inception_3a.5x5_reduce', 16, 1, 'inception_3a/5x5_reduce');
          return conv('inception_3a.5x5', 32, 5, 'inception_3a/5x5');
        },
        () => {
          b.maxPool('inception_3a.pool', { poolSize: 3, strides: 1, padding: 'same' }, { name: 'inception_3a/pool' });
          return conv('inception_3a.pool_proj', 32, 1, 'inception_3a/pool_proj');
        },
      ]);
      return b.concat('inception_3a.output', ends, { name: 'inception_3a/output' });
    }),
    () => b.inGroup('naive', 'inception', 'naive module (no reductions)', () => {
      const ends = b.branches(x, [
        () => conv('naive.1x1', 64, 1, 'naive/1x1'),
        () => conv('naive.3x3', 128, 3, 'naive/3x3'),
        () => conv('naive.5x5', 32, 5, 'naive/5x5'),
        () => b.maxPool('naive.pool', { poolSize: 3, strides: 1, padding: 'same' }, { name: 'naive/pool' }),
      ]);
      return b.concat('naive.output', ends, { name: 'naive/output' });
    }),
  ], [-2.25 * SPREAD, 2.25 * SPREAD]);
  return b.design();
}

/** A DenseNet-BC block of four layers (growth 32) and the transition after it. */
export function denseBlock(): Design {
  const b = new Builder(
    'Dense block and transition',
    [
      'A DenseNet-BC dense block of four layers with growth rate 32, on a 56×56×64 input (the size DenseNet-121\'s first',
      'block starts at), then a transition. Each layer (batch norm, ReLU, 1×1 conv to 128, batch norm, ReLU, 3×3 conv to 32;',
      'convs without bias) makes only 32 new channels and concatenates them onto everything before it: 64 → 96 → 128 → 160 →',
      '192 channels. Follow the concat nodes to see the channels grow, and notice that each layer\'s 1×1 bottleneck caps the',
      'cost of its 3×3 at 128 input channels however wide the concatenation gets (the 3×3 always has 36,864 weights). The',
      'transition (batch norm, ReLU, 1×1 conv halving 192 to 96 channels, 2×2 average pool with stride 2) shrinks the map',
      'to 28×28×96 for the next block. In all 225,536 trainable parameters, 2,304 batch-norm statistics and',
      '700,055,552 MACs.',
    ].join(' '),
  );
  let x = b.input('input', [56, 56, 64]);
  x = b.inGroup('denseblock', 'dense', 'dense block (4 layers, 64 → 192 channels)', () => {
    for (let l = 1; l <= 4; l++) x = denseLayer(b, x, `denseblock.denselayer${l}`, 32, 128);
    return x;
  });
  b.inGroup('transition', 'transition', 'transition (192 → 96 channels, ½ H×W)', () => transition(b, 'transition', 96));
  return b.design();
}
