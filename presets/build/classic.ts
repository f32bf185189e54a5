/** The plain stacks: AlexNet (torchvision and the 2012 paper) and VGG-16. */

import type { Design } from '../../src/engine/index.ts';
import { Builder } from './builder.ts';

/** torchvision `alexnet()`: module names `features.N` / `classifier.N`. */
export function alexnet(): Design {
  const b = new Builder(
    'AlexNet (torchvision)',
    [
      'AlexNet as torchvision builds it (torchvision.models.alexnet, the "one weird trick" variant): 64-192-384-256-256 filters,',
      'no grouped convolutions and no LRN, on a 224×224×3 input. Node ids are torchvision module names (features.N,',
      'classifier.N); each ReLU is folded into its conv or dense layer as an activation, so features.1, features.4, … have no',
      "node of their own. torchvision's AdaptiveAvgPool2d((6, 6)) is left out: on a 224 input the last pool already gives 6×6,",
      'where it does nothing. Notice where the numbers sit: the three dense layers hold 58.6 M of the 61.1 M parameters',
      '(classifier.1 alone 37.8 M) but only 59 M of the 714 M MACs; the convolutions do the work. The last max pool',
      '(features.12) sees 195×195 input pixels with a stride of 32.',
    ].join(' '),
  );
  b.input('input', [224, 224, 3]);
  b.inGroup('features', 'block', 'features', () => {
    b.conv('features.0', { filters: 64, kernelSize: 11, strides: 4, padding: 2, activation: 'relu' });
    b.maxPool('features.2', { poolSize: 3, strides: 2 });
    b.conv('features.3', { filters: 192, kernelSize: 5, padding: 2, activation: 'relu' });
    b.maxPool('features.5', { poolSize: 3, strides: 2 });
    b.conv('features.6', { filters: 384, kernelSize: 3, padding: 1, activation: 'relu' });
    b.conv('features.8', { filters: 256, kernelSize: 3, padding: 1, activation: 'relu' });
    b.conv('features.10', { filters: 256, kernelSize: 3, padding: 1, activation: 'relu' });
    b.maxPool('features.12', { poolSize: 3, strides: 2 });
  });
  b.flatten('flatten');
  b.inGroup('classifier', 'block', 'classifier', () => {
    b.dropout('classifier.0', 0.5);
    b.dense('classifier.1', { units: 4096, activation: 'relu' });
    b.dropout('classifier.3', 0.5);
    b.dense('classifier.4', { units: 4096, activation: 'relu' });
    b.dense('classifier.6', { units: 1000, activation: 'linear' });
  });
  return b.design();
}

/** Krizhevsky, Sutskever & Hinton 2012, the two-GPU network; layer names as in Caffe's bvlc_alexnet. */
export function alexnet2012(): Design {
  const b = new Builder(
    'AlexNet (2012 paper)',
    [
      'The network of Krizhevsky, Sutskever & Hinton, "ImageNet Classification with Deep Convolutional Neural Networks" (2012),',
      "with the layer names of Caffe's bvlc_alexnet: a 227×227×3 input, 96-256-384-384-256 filters, local response",
      'normalization (k 2, n 5, α 1e-4, β 0.75) after conv1 and conv2, and overlapping 3×3 max pools with stride 2.',
      'It was trained split over two GPUs, each holding half of the filters: conv2, conv4 and conv5 only see the half of',
      'their input on their own GPU, which is groups: 2 here; conv3 and the dense layers talk across both.',
      'Notice what the groups save: conv2 has 5·5·48·256 + 256 = 307,456 parameters instead of 614,656 with full',
      'connections. The paper\'s "224×224" input only works out to 55×55 after conv1 with 227 pixels.',
    ].join(' '),
  );
  const lrn = { depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75 };
  b.input('data', [227, 227, 3]);
  b.inGroup('layer1', 'block', 'conv1 (split over 2 GPUs)', () => {
    b.conv('conv1', { filters: 96, kernelSize: 11, strides: 4, padding: 'valid', activation: 'relu' });
    b.lrn('norm1', lrn);
    b.maxPool('pool1', { poolSize: 3, strides: 2 });
  });
  b.inGroup('layer2', 'block', 'conv2 (groups 2)', () => {
    b.conv('conv2', { filters: 256, kernelSize: 5, padding: 2, groups: 2, activation: 'relu' });
    b.lrn('norm2', lrn);
    b.maxPool('pool2', { poolSize: 3, strides: 2 });
  });
  b.inGroup('layer3_5', 'block', 'conv3-conv5', () => {
    b.conv('conv3', { filters: 384, kernelSize: 3, padding: 1, activation: 'relu' });
    b.conv('conv4', { filters: 384, kernelSize: 3, padding: 1, groups: 2, activation: 'relu' });
    b.conv('conv5', { filters: 256, kernelSize: 3, padding: 1, groups: 2, activation: 'relu' });
    b.maxPool('pool5', { poolSize: 3, strides: 2 });
  });
  b.flatten('flatten');
  b.inGroup('classifier', 'block', 'fc6-fc8', () => {
    b.dense('fc6', { units: 4096, activation: 'relu' });
    b.dropout('drop6', 0.5);
    b.dense('fc7', { units: 4096, activation: 'relu' });
    b.dropout('drop7', 0.5);
    b.dense('fc8', { units: 1000, activation: 'softmax' });
  });
  return b.design();
}

/** Keras Applications `VGG16` (torchvision `vgg16()` has the same weights). */
export function vgg16(): Design {
  const b = new Builder(
    'VGG-16',
    [
      'VGG-16 (Simonyan & Zisserman 2014, configuration D) with the layer names of Keras Applications VGG16 (block1_conv1 …',
      "predictions); torchvision's vgg16 has the same 138,357,544 parameters, names them features.N / classifier.N and adds",
      'dropout between the dense layers. Thirteen 3×3 convolutions with "same" padding in five blocks, each block ending',
      'in a 2×2 max pool that halves H and W while the next block doubles the filters (64 → 512). Notice the split:',
      'fc1 alone holds 102.8 M of the 138.4 M parameters (a 7×7×512 = 25,088 input times 4,096 units), while the',
      'convolutions do 15.35 G of the 15.47 G MACs. Stacked 3×3s grow the receptive field 2 pixels per layer at stride 1:',
      'block5_pool sees 212×212 input pixels, stride 32, effective padding 90.',
    ].join(' '),
  );
  b.input('input_1', [224, 224, 3]);
  const blocks: [number, number][] = [[2, 64], [2, 128], [3, 256], [3, 512], [3, 512]];
  blocks.forEach(([convs, filters], i) => {
    const n = i + 1;
    b.inGroup(`block${n}`, 'block', `Block ${n}`, () => {
      for (let c = 1; c <= convs; c++) {
        b.conv(`block${n}_conv${c}`, { filters, kernelSize: 3, padding: 'same', activation: 'relu' });
      }
      b.maxPool(`block${n}_pool`, { poolSize: 2, strides: 2 });
    });
  });
  b.flatten('flatten');
  b.inGroup('top', 'block', 'Classifier', () => {
    b.dense('fc1', { units: 4096, activation: 'relu' });
    b.dense('fc2', { units: 4096, activation: 'relu' });
    b.dense('predictions', { units: 1000, activation: 'softmax' });
  });
  return b.design();
}
