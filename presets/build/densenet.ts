/** DenseNet-121 as torchvision (and, with other names, Keras) builds it. */

import type { Design } from '../../src/engine/index.ts';
import { Builder, MAIN_ONLY } from './builder.ts';

const BN = { epsilon: 1e-5, momentum: 0.9 };

/**
 * One dense layer `prefix`: BN → ReLU → 1×1 conv (bottleneck, `bottleneck` filters) → BN → ReLU → 3×3 conv
 * (`growth` filters), drawn half a column left, then concatenated onto its own input in the middle column.
 */
export function denseLayer(b: Builder, from: string, prefix: string, growth: number, bottleneck: number, bn = BN): string {
  const [path] = b.branches(from, [() => {
    b.bn(`${prefix}.norm1`, bn);
    b.relu(`${prefix}.relu1`);
    b.conv(`${prefix}.conv1`, { filters: bottleneck, kernelSize: 1, padding: 0, useBias: false });
    b.bn(`${prefix}.norm2`, bn);
    b.relu(`${prefix}.relu2`);
    return b.conv(`${prefix}.conv2`, { filters: growth, kernelSize: 3, padding: 1, useBias: false });
  }], MAIN_ONLY);
  return b.concat(`${prefix}.concat`, [from, path]);
}

/** A transition `prefix`: BN → ReLU → 1×1 conv to `filters` → 2×2 average pool, stride 2. */
export function transition(b: Builder, prefix: string, filters: number, bn = BN): string {
  b.bn(`${prefix}.norm`, bn);
  b.relu(`${prefix}.relu`);
  b.conv(`${prefix}.conv`, { filters, kernelSize: 1, padding: 0, useBias: false });
  return b.avgPool(`${prefix}.pool`, { poolSize: 2, strides: 2 });
}

/** torchvision `densenet121()`: growth 32, blocks [6, 12, 24, 16], bottleneck 4·32 = 128, compression 0.5. */
export function densenet121(): Design {
  const b = new Builder(
    'DenseNet-121 (torchvision)',
    [
      'DenseNet-121 (Huang et al., "Densely Connected Convolutional Networks", 2017) as torchvision.models.densenet121 builds',
      'it; Keras Applications DenseNet121 has the same layers and counts under other names (conv2_block1_1_conv …). Node ids',
      'are torchvision module names (features.denseblock1.denselayer1.conv1 …). Inside a dense block each layer sees the',
      'concatenation of everything before it: batch norm, ReLU, a 1×1 bottleneck conv to 128 channels, batch norm, ReLU, and a',
      '3×3 conv that adds only 32 new channels (the growth rate), which are concatenated onto its input; the block\'s',
      'channels grow 64 → 256, 128 → 512, 256 → 1024 and 512 → 1024. Torchvision concatenates all earlier outputs inside each',
      'layer; here, as in Keras, each layer appends its 32 channels to a running concatenation, which gives the same tensors.',
      'Transitions (batch norm, ReLU, 1×1 conv halving the channels, 2×2 average pool) shrink the map between blocks. Notice',
      'how small it is for its depth: 7,978,856 trainable parameters in 120 convs and a dense layer, and 83,648 batch-norm',
      'statistics, about one percent of all its parameters.',
    ].join(' '),
  );
  const growth = 32;
  b.input('input', [224, 224, 3]);
  let x = b.inGroup('stem', 'block', 'stem', () => {
    b.conv('features.conv0', { filters: 64, kernelSize: 7, strides: 2, padding: 3, useBias: false });
    b.bn('features.norm0', BN);
    b.relu('features.relu0');
    return b.maxPool('features.pool0', { poolSize: 3, strides: 2, padding: 1 });
  });
  let channels = 64;
  [6, 12, 24, 16].forEach((layers, i) => {
    const n = i + 1;
    const block = `features.denseblock${n}`;
    x = b.inGroup(`denseblock${n}`, 'dense', `denseblock${n} (${layers} layers, ${channels} → ${channels + layers * growth} channels)`, () => {
      for (let l = 1; l <= layers; l++) x = denseLayer(b, x, `${block}.denselayer${l}`, growth, 4 * growth);
      return x;
    });
    channels += layers * growth;
    if (n < 4) {
      const half = channels / 2;
      x = b.inGroup(`transition${n}`, 'transition', `transition${n} (${channels} → ${half} channels, ½ H×W)`, () =>
        transition(b, `features.transition${n}`, half));
      channels = half;
    }
  });
  b.bn('features.norm5', BN);
  b.relu('relu');
  b.gap('avgpool');
  b.dense('classifier', { units: 1000, activation: 'linear' });
  return b.design();
}
