/**
 * torchvision's semantic segmentation models (torchvision.models.segmentation, 0.14), at 224×224 with 21 classes
 * (PASCAL VOC) and no auxiliary head: FCN-ResNet50 (Long et al., 2015), DeepLabV3-MobileNetV3-Large (Chen et al.,
 * 2017) and LR-ASPP-MobileNetV3-Large (Howard et al., 2019). Each ends as torchvision's `forward` does: the logits
 * resized bilinearly (`align_corners=False`) to the input's size.
 */

import type { Design } from '../../src/engine/index.ts';
import { Builder, SPREAD, STEP } from './builder.ts';
import { mobilenetV3LargeFeatures } from './mobilenet.ts';
import { resnet50Trunk } from './resnet.ts';

/** The heads' batch norm: PyTorch's defaults, eps 1e-5 and momentum 0.1 (Keras momentum 0.9). */
const BN = { epsilon: 1e-5, momentum: 0.9 };
/** PASCAL VOC's 20 classes and the background. */
const CLASSES = 21;

/** Conv without bias `p.i`, batch norm `p.(i+1)`, ReLU `p.(i+2)`: the heads' unit. */
function convBnRelu(b: Builder, p: string, i: number, params: Record<string, unknown>): string {
  b.conv(`${p}.${i}`, { ...params, useBias: false });
  b.bn(`${p}.${i + 1}`, BN);
  return b.relu(`${p}.${i + 2}`);
}

/** The last node: torchvision's `F.interpolate(x, size=input_shape, mode="bilinear", align_corners=False)`. */
function resizeToInput(b: Builder, factor: number): string {
  return b.inGroup('output', 'block', `output: upsample ×${factor} to 224×224`, () =>
    b.add('upsample2d', 'upsample', { size: factor, interpolation: 'bilinear' }));
}

/** torchvision `fcn_resnet50(weights=None, weights_backbone=None, aux_loss=False)`. */
export function fcnResnet50(): Design {
  const b = new Builder(
    'FCN-ResNet50 (torchvision)',
    [
      'FCN-ResNet50 as torchvision.models.segmentation.fcn_resnet50 builds it (Long, Shelhamer and Darrell, "Fully',
      'Convolutional Networks for Semantic Segmentation", 2015, on a ResNet-50); node ids are torchvision module names. A',
      'classifier becomes a segmenter by dropping its pooling and fully connected layers, so every output is a pixel of a',
      'map: the head (classifier.0-4: a 3×3 to 512, batch norm, ReLU, and a 1×1 to the 21 classes) scores each position',
      'of layer4\'s map, and one bilinear upsampling ×8 brings the scores back to 224×224. torchvision\'s backbone keeps',
      'more resolution than ResNet-50 does: layer3 and layer4 replace their stride 2 with dilation 2 and 4',
      '(replace_stride_with_dilation), so layer4 ends at 28×28 (stride 8) instead of 7×7 with the same weights, and',
      'its receptive field keeps growing. The 0.1 dropout in the head has no node (the identity at inference).',
    ].join(' '),
  );
  const high = resnet50Trunk(b, 'backbone.', [false, true, true]);
  b.last = high;
  b.inGroup('classifier', 'block', 'classifier (FCN head)', () => {
    convBnRelu(b, 'classifier', 0, { filters: 512, kernelSize: 3, padding: 1 });
    return b.conv('classifier.4', { filters: CLASSES, kernelSize: 1 });
  });
  resizeToInput(b, 8);
  return b.design();
}

/**
 * torchvision's `ASPP` (`classifier.0`) on a 14×14×960 map: a 1×1, three 3×3s dilated 12, 24 and 36 (`convs.0-3`,
 * each to 256 with batch norm and ReLU), and the image pooling (`convs.4`: global average pool kept 1×1, 1×1 conv,
 * batch norm, ReLU, resized back to 14×14), concatenated (1,280 channels) and projected to 256 (`project`).
 */
function aspp(b: Builder, from: string, size: number): string {
  const p = 'classifier.0';
  return b.inGroup(p, 'inception', `${p} (ASPP: rates 12, 24, 36 and image pooling)`, () => {
    const ends = b.branches(from, [
      () => convBnRelu(b, `${p}.convs.0`, 0, { filters: 256, kernelSize: 1 }),
      ...[12, 24, 36].map((rate, i) => () => convBnRelu(b, `${p}.convs.${i + 1}`, 0, { filters: 256, kernelSize: 3, padding: rate, dilation: rate })),
      () => {
        b.add('globalAvgPool', `${p}.convs.4.0`, { keepDims: true });
        convBnRelu(b, `${p}.convs.4`, 1, { filters: 256, kernelSize: 1 });
        // torchvision's ASPPPooling resizes its 1×1 back with bilinear interpolation (from one pixel, a copy): the
        // module's output, so the node takes the module's name.
        return b.add('upsample2d', `${p}.convs.4`, { size, interpolation: 'bilinear' });
      },
    ]);
    b.concat(`${p}.cat`, ends);
    return convBnRelu(b, `${p}.project`, 0, { filters: 256, kernelSize: 1 });
  });
}

/** torchvision `deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, aux_loss=False)`. */
export function deeplabv3MobilenetV3Large(): Design {
  const b = new Builder(
    'DeepLabV3-MobileNetV3-Large (torchvision)',
    [
      'DeepLabV3 (Chen et al., "Rethinking Atrous Convolution for Semantic Image Segmentation", 2017) on a MobileNet v3',
      'Large backbone, as torchvision.models.segmentation.deeplabv3_mobilenet_v3_large builds it; node ids are torchvision',
      'module names. The backbone\'s last stage trades its stride 2 for dilation 2 (backbone.13-15), so the features end at',
      '14×14 (stride 16). The head\'s ASPP (atrous spatial pyramid pooling) looks at that map at several scales at once: a',
      '1×1, three 3×3 convolutions dilated 12, 24 and 36 (windows of 25, 49 and 73 positions, most of them padding on',
      'a 14×14 map), and image pooling: a global average, a 1×1, and a copy back over the map, so every output pixel also',
      'sees the whole image (its receptive field is marked + global). Then a 1×1 projection, a 3×3, a 1×1 to the 21',
      'classes, and a bilinear upsampling ×16 to the input\'s size. The 0.5 dropout in the projection has no node.',
    ].join(' '),
  );
  const features = mobilenetV3LargeFeatures(b, 'backbone.', true);
  const x = aspp(b, features[16], 14);
  b.last = x;
  b.inGroup('classifier', 'block', 'classifier (3×3 and 1×1 to the classes)', () => {
    convBnRelu(b, 'classifier', 1, { filters: 256, kernelSize: 3, padding: 1 });
    return b.conv('classifier.4', { filters: CLASSES, kernelSize: 1 });
  });
  resizeToInput(b, 16);
  return b.design();
}

/** torchvision `lraspp_mobilenet_v3_large(weights=None, weights_backbone=None)`. */
export function lrasppMobilenetV3Large(): Design {
  const b = new Builder(
    'LR-ASPP-MobileNetV3-Large (torchvision)',
    [
      'LR-ASPP (Lite Reduced ASPP, from Howard et al., "Searching for MobileNetV3", 2019) as',
      'torchvision.models.segmentation.lraspp_mobilenet_v3_large builds it; node ids are torchvision module names. A',
      'segmentation head for phones: instead of ASPP\'s dilated branches, the 14×14×960 features (backbone.16, the last',
      'stage dilated as in DeepLabV3) go through a 1×1 to 128 (classifier.cbr) multiplied by a squeeze-and-excitation',
      'style gate from the whole image (classifier.scale: global average pool, 1×1, sigmoid), are upsampled ×2, and',
      'scored by a 1×1 (high_classifier); the 28×28 map of backbone.4 (stride 8) is scored by its own 1×1',
      '(low_classifier) and the two score maps are added: the fine map brings back the edges the coarse one lost.',
      'A bilinear upsampling ×8 gives the input\'s size.',
    ].join(' '),
  );
  const features = mobilenetV3LargeFeatures(b, 'backbone.', true);
  const low = features[4];
  const high = features[16];
  const p = 'classifier';
  const x = b.inGroup(p, 'block', `${p} (LR-ASPP head)`, () => {
    const [cbr, scale] = b.branches(high, [
      () => convBnRelu(b, `${p}.cbr`, 0, { filters: 128, kernelSize: 1 }),
      () => {
        b.add('globalAvgPool', `${p}.scale.0`, { keepDims: true });
        b.conv(`${p}.scale.1`, { filters: 128, kernelSize: 1, useBias: false });
        return b.act(`${p}.scale.2`, 'sigmoid');
      },
    ], [0, SPREAD]);
    b.add('multiply', `${p}.gated`, {}, { from: [cbr, scale] });
    b.add('upsample2d', `${p}.resize`, { size: 2, interpolation: 'bilinear' });
    const hi = b.conv(`${p}.high_classifier`, { filters: CLASSES, kernelSize: 1 });
    // The fine map's scores in a column of their own, left of the backbone, so its long edge crosses no node.
    const [x, y] = [b.x, b.y];
    b.moveTo(x - 2 * SPREAD, y - STEP);
    const lo = b.conv(`${p}.low_classifier`, { filters: CLASSES, kernelSize: 1 }, { from: low });
    b.moveTo(x, y);
    return b.sum(`${p}.add`, [lo, hi]);
  });
  b.last = x;
  resizeToInput(b, 8);
  return b.design();
}
