/** Residual networks: torchvision ResNet-18 and ResNet-50, and Keras Applications ResNet50. */

import type { Design } from '../../src/engine/index.ts';
import { Builder, MAIN_ONLY, SIDE_BY_SIDE } from './builder.ts';

/** torchvision BatchNorm2d defaults in Keras terms: eps 1e-5, PyTorch momentum 0.1 = Keras momentum 0.9. */
const TORCH_BN = { epsilon: 1e-5, momentum: 0.9 };

/**
 * torchvision's stem: conv1 7×7/2 pad 3 (no bias), bn1, relu, maxpool 3×3/2 pad 1. `prefix` is the module path of
 * the ResNet (`backbone.` inside a segmentation model), on node and group ids alike.
 */
function torchStem(b: Builder, prefix = ''): string {
  b.input('input', [224, 224, 3]);
  return b.inGroup(`${prefix}stem`, 'block', `${prefix}stem`, () => {
    b.conv(`${prefix}conv1`, { filters: 64, kernelSize: 7, strides: 2, padding: 3, useBias: false });
    b.bn(`${prefix}bn1`, TORCH_BN);
    b.relu(`${prefix}relu`);
    return b.maxPool(`${prefix}maxpool`, { poolSize: 3, strides: 2, padding: 1 });
  });
}

function torchHead(b: Builder): void {
  b.gap('avgpool');
  b.dense('fc', { units: 1000, activation: 'linear' });
}

/**
 * One torchvision block `layerL.i`: the main path, a projection shortcut `downsample.0/1` when the shape
 * changes, the add and the last ReLU. torchvision calls one `relu` module 2 or 3 times per block; here each
 * call is its own node `prefix.relu:k`, named `prefix.relu`.
 */
function torchBlock(
  b: Builder, from: string, prefix: string, label: string,
  convs: { filters: number; kernelSize: number; strides: number; dilation?: number }[], outChannels: number, project: { strides: number } | null,
): string {
  return b.inGroup(prefix, 'residual', label, () => {
    const main = () => {
      convs.forEach((c, i) => {
        const n = i + 1;
        // A dilated 3×3 (a segmentation backbone's layer3/4) pads by its dilation, so H×W is kept.
        const d = c.dilation ?? 1;
        const window = d > 1 ? { padding: d * (c.kernelSize - 1) / 2, dilation: d } : { padding: (c.kernelSize - 1) / 2 };
        b.conv(`${prefix}.conv${n}`, { filters: c.filters, kernelSize: c.kernelSize, strides: c.strides, ...window, useBias: false });
        b.bn(`${prefix}.bn${n}`, TORCH_BN);
        if (n < convs.length) b.relu(`${prefix}.relu:${n}`, { name: `${prefix}.relu` });
      });
      return b.last;
    };
    const shortcut = () => {
      b.conv(`${prefix}.downsample.0`, { filters: outChannels, kernelSize: 1, strides: project!.strides, padding: 0, useBias: false });
      return b.bn(`${prefix}.downsample.1`, TORCH_BN);
    };
    const [m, s] = project ? b.branches(from, [main, shortcut], SIDE_BY_SIDE) : [...b.branches(from, [main], MAIN_ONLY), from];
    b.sum(`${prefix}.add`, [m, s]);
    return b.relu(`${prefix}.relu:${convs.length}`, { name: `${prefix}.relu` });
  });
}

/** torchvision `resnet18()`: BasicBlocks [2, 2, 2, 2]. */
export function resnet18(): Design {
  const b = new Builder(
    'ResNet-18 (torchvision)',
    [
      'ResNet-18 (He et al., "Deep Residual Learning for Image Recognition", 2015) as torchvision.models.resnet18 builds it;',
      'node ids are torchvision module names (conv1, layer1.0.conv1, layer2.0.downsample.0, fc …). Each basic block is two',
      '3×3 convolutions without bias, each followed by batch norm, and an add that joins the skip edge; torchvision reuses one',
      'ReLU module per block, so its calls appear here as layerL.i.relu:1 and :2. The first block of layer2-layer4 halves H×W',
      'with stride 2 and doubles the channels, so its skip needs a 1×1 stride-2 projection (downsample.0 conv + downsample.1',
      'batch norm) drawn to the right; every other skip is a plain edge. Notice that the projections are cheap',
      '(8,192 + 32,768 + 131,072 weights) next to the 3×3s, and that global average pooling leaves the classifier',
      'only 513,000 parameters. The batch norms keep 9,600 non-trainable moving statistics (Keras convention).',
    ].join(' '),
  );
  let x = torchStem(b);
  let channels = 64;
  [64, 128, 256, 512].forEach((filters, li) => {
    for (let i = 0; i < 2; i++) {
      const strides = li > 0 && i === 0 ? 2 : 1;
      const project = strides !== 1 || channels !== filters ? { strides } : null;
      const prefix = `layer${li + 1}.${i}`;
      x = torchBlock(b, x, prefix, `${prefix} (basic block${project ? ', projection' : ''})`,
        [{ filters, kernelSize: 3, strides }, { filters, kernelSize: 3, strides: 1 }], filters, project);
      channels = filters;
    }
  });
  torchHead(b);
  return b.design();
}

/** torchvision `resnet50()`: Bottlenecks [3, 4, 6, 3], stride on the 3×3 ("ResNet v1.5"). */
export function resnet50(): Design {
  const b = new Builder(
    'ResNet-50 (torchvision)',
    [
      'ResNet-50 as torchvision.models.resnet50 builds it (node ids are torchvision module names). Each bottleneck block',
      'squeezes the channels with a 1×1 conv, works at that width with a 3×3, and widens them 4× again with a 1×1, every',
      'conv without bias and followed by batch norm (eps 1e-5). torchvision puts the stride-2 of layer2-layer4 on the 3×3',
      '(conv2) of the first block, the layout often called ResNet v1.5; the Keras preset resnet50-keras puts it on the first',
      '1×1 instead: same structure, but here 26,560 fewer parameters (bias-free convs), 231 M more MACs (the first 1×1 of',
      'layer2.0, layer3.0 and layer4.0 still runs at the full resolution) and a larger receptive field (the strided 3×3 widens',
      'the view at the new stride). The first block of every stage has a projection shortcut (downsample.0/1),',
      'layer1.0 too, since 64 channels become 256. Notice that the 3×3s, which hold the spatial work, see only a quarter of',
      'the channels. layer4 ends at 7×7×2048 with a receptive field of 427×427 pixels, stride 32.',
    ].join(' '),
  );
  resnet50Trunk(b);
  torchHead(b);
  return b.design();
}

/**
 * torchvision's ResNet-50 from its input to layer4 (Bottlenecks [3, 4, 6, 3], stride on the 3×3), its module
 * names under `prefix`. `dilate` is torchvision's `replace_stride_with_dilation` for layer2-4: a dilated stage keeps
 * the resolution (stride 1) and multiplies the dilation by 2 instead; its first block still uses the dilation
 * before it, as torchvision's `_make_layer` does. Returns layer4's last node.
 */
export function resnet50Trunk(b: Builder, prefix = '', dilate: readonly [boolean, boolean, boolean] = [false, false, false]): string {
  let x = torchStem(b, prefix);
  let channels = 64;
  let dilation = 1;
  ([[64, 3], [128, 4], [256, 6], [512, 3]] as const).forEach(([width, count], li) => {
    const previous = dilation;
    let stride = li > 0 ? 2 : 1;
    if (li > 0 && dilate[li - 1]) {
      dilation *= stride;
      stride = 1;
    }
    for (let i = 0; i < count; i++) {
      const strides = i === 0 ? stride : 1;
      const out = width * 4;
      const project = i === 0 && (strides !== 1 || channels !== out) ? { strides } : null;
      const p = `${prefix}layer${li + 1}.${i}`;
      x = torchBlock(b, x, p, `${p} (bottleneck${project ? ', projection' : ''}${(i === 0 ? previous : dilation) > 1 ? `, dilation ${i === 0 ? previous : dilation}` : ''})`, [
        { filters: width, kernelSize: 1, strides: 1 },
        { filters: width, kernelSize: 3, strides, dilation: i === 0 ? previous : dilation },
        { filters: out, kernelSize: 1, strides: 1 },
      ], out, project);
      channels = out;
    }
  });
  return x;
}

/** Keras Applications `ResNet50`: stride on the first 1×1, convs with bias, batch norm eps 1.001e-5. */
export function resnet50Keras(): Design {
  const b = new Builder(
    'ResNet-50 (Keras)',
    [
      'ResNet50 as Keras Applications builds it (tf.keras.applications.ResNet50, layer names conv1_conv, conv2_block1_1_conv,',
      '… predictions). It differs from torchvision\'s resnet50 in three places: the stride-2 of stages conv3-conv5 sits on',
      'the first 1×1 of the first block (the original 2015 layout) rather than on the 3×3; every conv has a bias, although the',
      'batch norm after it makes the bias redundant (26,560 extra parameters: 25,583,592 trainable against 25,557,032); and',
      'batch norm uses epsilon 1.001e-5. The 7×7 and max-pool padding are explicit ZeroPadding2D layers (conv1_pad,',
      'pool1_pad) followed by valid windows. Notice the trade the stride placement makes: the strided 1×1 of each first',
      'block computes only the pixels it keeps, so this layout needs 231 M fewer MACs than torchvision\'s (3,857,973,248',
      'against 4,089,184,256), but that 1×1 skips three quarters of its input pixels outright; and the 3×3 after it already',
      'works at the doubled stride, so conv5_block3_out sees 483×483 input pixels against 427×427 in torchvision\'s layout.',
    ].join(' '),
  );
  const bn = { epsilon: 1.001e-5, momentum: 0.99 };
  b.input('input_1', [224, 224, 3]);
  let x = b.inGroup('conv1', 'block', 'conv1 (stem)', () => {
    b.zeroPad('conv1_pad', 3);
    b.conv('conv1_conv', { filters: 64, kernelSize: 7, strides: 2, padding: 'valid' });
    b.bn('conv1_bn', bn);
    b.relu('conv1_relu');
    b.zeroPad('pool1_pad', 1);
    return b.maxPool('pool1_pool', { poolSize: 3, strides: 2, padding: 'valid' });
  });
  ([[64, 3, 1], [128, 4, 2], [256, 6, 2], [512, 3, 2]] as const).forEach(([width, count, stride1], si) => {
    const stage = si + 2;
    for (let i = 1; i <= count; i++) {
      const p = `conv${stage}_block${i}`;
      const strides = i === 1 ? stride1 : 1;
      x = b.inGroup(p, 'residual', `${p} (bottleneck${i === 1 ? ', projection' : ''})`, () => {
        const main = () => {
          b.conv(`${p}_1_conv`, { filters: width, kernelSize: 1, strides, padding: 'valid' });
          b.bn(`${p}_1_bn`, bn);
          b.relu(`${p}_1_relu`);
          b.conv(`${p}_2_conv`, { filters: width, kernelSize: 3, padding: 'same' });
          b.bn(`${p}_2_bn`, bn);
          b.relu(`${p}_2_relu`);
          b.conv(`${p}_3_conv`, { filters: 4 * width, kernelSize: 1, padding: 'valid' });
          return b.bn(`${p}_3_bn`, bn);
        };
        const shortcut = () => {
          b.conv(`${p}_0_conv`, { filters: 4 * width, kernelSize: 1, strides, padding: 'valid' });
          return b.bn(`${p}_0_bn`, bn);
        };
        // Keras adds [shortcut, main]; the sum is the same either way, the order follows Keras.
        const [m, s] = i === 1 ? b.branches(x, [main, shortcut], SIDE_BY_SIDE) : [...b.branches(x, [main], MAIN_ONLY), x];
        b.sum(`${p}_add`, [s, m]);
        return b.relu(`${p}_out`);
      });
    }
  });
  b.gap('avg_pool');
  b.dense('predictions', { units: 1000, activation: 'softmax' });
  return b.design();
}
