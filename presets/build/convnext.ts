/** ConvNeXt: torchvision ConvNeXt-Tiny (Liu et al., "A ConvNet for the 2020s", 2022). */

import type { Design } from '../../src/engine/index.ts';
import { Builder, MAIN_ONLY } from './builder.ts';

/** torchvision's LayerNorm2d and the blocks' LayerNorm: eps 1e-6 (layerNorm's own default, ConvNeXt's). */
const LN = { epsilon: 1e-6 };

/**
 * One torchvision `CNBlock` `features.S.i` (dim channels): depthwise 7×7 (`block.0`), LayerNorm over each pixel's
 * channels (`block.2`), Linear dim → 4·dim (`block.3`), GELU (`block.4`), Linear 4·dim → dim (`block.5`), the
 * block's `layer_scale` parameter (1e-6 at init), and the add of the skip. torchvision applies the Linears to a
 * channels-last tensor (the `block.1`/`block.6` Permutes); a Linear over each pixel's channels is a 1×1 conv, so
 * they are 1×1 `conv2d`s here and the Permutes have no node. Stochastic depth is the identity at inference: no node.
 */
function cnBlock(b: Builder, from: string, prefix: string, dim: number): string {
  return b.inGroup(prefix, 'residual', `${prefix} (ConvNeXt block, ${dim})`, () => {
    const [main] = b.branches(from, [() => {
      b.add('depthwiseConv2d', `${prefix}.block.0`, { kernelSize: 7, padding: 3 });
      b.add('layerNorm', `${prefix}.block.2`, LN);
      b.conv(`${prefix}.block.3`, { filters: 4 * dim, kernelSize: 1 });
      b.act(`${prefix}.block.4`, 'gelu');
      b.conv(`${prefix}.block.5`, { filters: dim, kernelSize: 1 });
      return b.add('scale', `${prefix}.layer_scale`, { initValue: 1e-6 });
    }], MAIN_ONLY);
    return b.sum(`${prefix}.add`, [main, from]);
  });
}

/** torchvision `convnext_tiny()`: stages of [3, 3, 9, 3] blocks at 96, 192, 384, 768 channels. */
export function convnextTiny(): Design {
  const b = new Builder(
    'ConvNeXt-Tiny (torchvision)',
    [
      'ConvNeXt-Tiny (Liu et al., "A ConvNet for the 2020s", 2022) as torchvision.models.convnext_tiny builds it; node ids',
      'are torchvision module names. It is a ResNet-50 modernised step by step towards a vision transformer\'s design, each',
      'step kept for what it measured: a "patchify" stem (one 4×4 stride-4 conv, features.0.0, in place of the 7×7 and the',
      'max pool); stages of 3, 3, 9 and 3 blocks (the Swin-T ratio) joined by separate downsampling layers (LayerNorm and a',
      '2×2 stride-2 conv: features.2, .4, .6); an inverted bottleneck (the block widens its channels 4× in the middle, as',
      'MobileNet v2 does, instead of narrowing them); a 7×7 depthwise conv moved to the top of the block, where the',
      'channels are few (block.0); one LayerNorm per block over each pixel\'s channels in place of batch norm (block.2,',
      'eps 1e-6); one GELU in place of three ReLUs (block.4); and a learned per-channel layer scale starting at 1e-6',
      '(layer_scale), so each block starts out almost as the identity. torchvision applies the two pointwise Linears to',
      'a channels-last tensor; they are 1×1 convs here (block.3, block.5). Notice where the weights are: the 1×1s hold',
      'nearly all of them, the 7×7 depthwise only 49 per channel; there are no batch norms, so no moving statistics.',
    ].join(' '),
  );
  b.input('input', [224, 224, 3]);
  let x = b.inGroup('features.0', 'block', 'features.0 (patchify stem)', () => {
    b.conv('features.0.0', { filters: 96, kernelSize: 4, strides: 4, padding: 0 });
    return b.add('layerNorm', 'features.0.1', LN);
  });
  ([[96, 3], [192, 3], [384, 9], [768, 3]] as const).forEach(([dim, depth], s) => {
    if (s > 0) {
      const f = `features.${2 * s}`;
      x = b.inGroup(f, 'transition', `${f} (downsample)`, () => {
        b.add('layerNorm', `${f}.0`, LN);
        return b.conv(`${f}.1`, { filters: dim, kernelSize: 2, strides: 2, padding: 0 });
      });
    }
    for (let i = 0; i < depth; i++) x = cnBlock(b, x, `features.${2 * s + 1}.${i}`, dim);
  });
  b.inGroup('head', 'block', 'head (avgpool, classifier)', () => {
    // torchvision keeps the pooled map 1×1 for its LayerNorm2d (classifier.0), then flattens (classifier.1).
    b.add('globalAvgPool', 'avgpool', { keepDims: true });
    b.add('layerNorm', 'classifier.0', LN);
    b.flatten('classifier.1');
    return b.dense('classifier.2', { units: 1000 });
  });
  return b.design();
}
