/** GoogLeNet (Inception v1) as torchvision builds it. */

import type { Design } from '../../src/engine/index.ts';
import { Builder } from './builder.ts';

/** torchvision BasicConv2d: BatchNorm2d(eps=0.001); PyTorch momentum 0.1 = Keras momentum 0.9. */
const BN = { epsilon: 0.001, momentum: 0.9 };

/** torchvision `BasicConv2d`: conv (no bias) → batch norm → ReLU, ids `prefix.conv`, `prefix.bn`, `prefix.relu`. */
export function basicConv(b: Builder, prefix: string, filters: number, kernelSize: number, extra: Record<string, unknown> = {}): string {
  b.conv(`${prefix}.conv`, { filters, kernelSize, padding: (kernelSize - 1) / 2, useBias: false, ...extra });
  b.bn(`${prefix}.bn`, BN);
  return b.relu(`${prefix}.relu`);
}

/**
 * torchvision `Inception(in, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj)`: four branches side by side,
 * joined along channels. Branch 3 uses a 3×3 kernel where the paper has 5×5, as torchvision does.
 */
function inception(b: Builder, from: string, name: string, [c1, c3r, c3, c5r, c5, pp]: number[]): string {
  return b.inGroup(name, 'inception', `${name} (${c1}+${c3}+${c5}+${pp} = ${c1 + c3 + c5 + pp})`, () => {
    const ends = b.branches(from, [
      () => basicConv(b, `${name}.branch1`, c1, 1),
      () => {
        basicConv(b, `${name}.branch2.0`, c3r, 1);
        return basicConv(b, `${name}.branch2.1`, c3, 3);
      },
      () => {
        basicConv(b, `${name}.branch3.0`, c5r, 1);
        return basicConv(b, `${name}.branch3.1`, c5, 3);
      },
      () => {
        b.maxPool(`${name}.branch4.0`, { poolSize: 3, strides: 1, padding: 1, ceilMode: true });
        return basicConv(b, `${name}.branch4.1`, pp, 1);
      },
    ]);
    return b.concat(`${name}.concat`, ends);
  });
}

/** torchvision `googlenet(aux_logits=False)`. */
export function googlenet(): Design {
  const b = new Builder(
    'GoogLeNet (torchvision)',
    [
      'GoogLeNet / Inception v1 (Szegedy et al., "Going Deeper with Convolutions", 2014) as torchvision.models.googlenet',
      'builds it without the auxiliary classifiers; node ids are torchvision module names (conv1.conv, inception3a.branch2.1.bn …).',
      'Every conv is torchvision\'s BasicConv2d: a bias-free conv, batch norm with eps 0.001 (which the 2014 paper did not have)',
      'and a ReLU. Max pools use ceil mode, as in torchvision, so 112 → 56 → 28 → 14 → 7. Each inception module runs four',
      'branches side by side (1×1; 1×1 then 3×3; 1×1 then a second 3×3; 3×3 max pool then 1×1) and concatenates them along',
      'channels. Note: the third branch is drawn as 5×5 in the paper, but torchvision (and this preset) uses a 3×3 kernel',
      'there, a known quirk of its port, so the numbers match torchvision rather than the paper. Notice how the 1×1',
      '"reductions" keep the module cheap: inception3a turns 192 channels into 256 with 155,872 trainable parameters, and the whole',
      'network has 6.6 M parameters, a tenth of AlexNet\'s, yet twice its MACs.',
    ].join(' '),
  );
  const pool = (id: string, size = 3) => b.maxPool(id, { poolSize: size, strides: 2, padding: 0, ceilMode: true });
  b.input('input', [224, 224, 3]);
  let x = b.inGroup('stem', 'block', 'stem', () => {
    basicConv(b, 'conv1', 64, 7, { strides: 2 });
    pool('maxpool1');
    basicConv(b, 'conv2', 64, 1);
    basicConv(b, 'conv3', 192, 3);
    return pool('maxpool2');
  });
  x = inception(b, x, 'inception3a', [64, 96, 128, 16, 32, 32]);
  inception(b, x, 'inception3b', [128, 128, 192, 32, 96, 64]);
  x = pool('maxpool3');
  x = inception(b, x, 'inception4a', [192, 96, 208, 16, 48, 64]);
  x = inception(b, x, 'inception4b', [160, 112, 224, 24, 64, 64]);
  x = inception(b, x, 'inception4c', [128, 128, 256, 24, 64, 64]);
  x = inception(b, x, 'inception4d', [112, 144, 288, 32, 64, 64]);
  inception(b, x, 'inception4e', [256, 160, 320, 32, 128, 128]);
  x = pool('maxpool4', 2);
  x = inception(b, x, 'inception5a', [256, 160, 320, 32, 128, 128]);
  inception(b, x, 'inception5b', [384, 192, 384, 48, 128, 128]);
  b.gap('avgpool');
  b.dropout('dropout', 0.2);
  b.dense('fc', { units: 1000, activation: 'linear' });
  return b.design();
}
