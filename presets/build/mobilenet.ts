/** MobileNet v3: torchvision MobileNetV3-Large (Howard et al., "Searching for MobileNetV3", 2019). */

import type { Design } from '../../src/engine/index.ts';
import { Builder, MAIN_ONLY } from './builder.ts';
import { squeezeExcitation } from './squeeze-excitation.ts';

/** torchvision's MobileNet v3 batch norm: eps 0.001, PyTorch momentum 0.01 (= Keras momentum 0.99). */
const BN = { epsilon: 1e-3, momentum: 0.99 };

/**
 * torchvision's `_make_divisible(v, 8)` (from the TensorFlow MobileNet code): v rounded to the nearest multiple
 * of 8, at least 8, and never more than 10% below v. Gives the squeeze-and-excitation widths.
 */
export function makeDivisible(v: number, divisor = 8): number {
  let rounded = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * v) rounded += divisor;
  return rounded;
}

/** One row of torchvision's `InvertedResidualConfig` for mobilenet_v3_large (width multiplier 1, dilation 1). */
interface Bneck { cin: number; kernel: number; expanded: number; cout: number; se: boolean; act: 'relu' | 'hardSwish'; stride: number }

const LARGE: Bneck[] = ([
  [16, 3, 16, 16, false, 'RE', 1],
  [16, 3, 64, 24, false, 'RE', 2],
  [24, 3, 72, 24, false, 'RE', 1],
  [24, 5, 72, 40, true, 'RE', 2],
  [40, 5, 120, 40, true, 'RE', 1],
  [40, 5, 120, 40, true, 'RE', 1],
  [40, 3, 240, 80, false, 'HS', 2],
  [80, 3, 200, 80, false, 'HS', 1],
  [80, 3, 184, 80, false, 'HS', 1],
  [80, 3, 184, 80, false, 'HS', 1],
  [80, 3, 480, 112, true, 'HS', 1],
  [112, 3, 672, 112, true, 'HS', 1],
  [112, 5, 672, 160, true, 'HS', 2],
  [160, 5, 960, 160, true, 'HS', 1],
  [160, 5, 960, 160, true, 'HS', 1],
] as const).map(([cin, kernel, expanded, cout, se, act, stride]) => ({ cin, kernel, expanded, cout, se, act: act === 'RE' ? 'relu' : 'hardSwish', stride }));

/** torchvision's `Conv2dNormActivation`: conv (no bias) `p.0`, batch norm `p.1`, and the activation `p.2` if any. */
function convBnAct(b: Builder, p: string, conv: { kind: 'conv2d' | 'depthwiseConv2d'; params: Record<string, unknown> }, act?: string): string {
  b.add(conv.kind, `${p}.0`, { ...conv.params, useBias: false });
  b.bn(`${p}.1`, BN);
  return act ? b.act(`${p}.2`, act) : b.last;
}

/**
 * One torchvision `InvertedResidual` `p` (`features.i`): expand 1×1 (`block.0`, left out where the expansion is 1),
 * depthwise k×k with the stride, squeeze-and-excitation where the config says so, project 1×1 without activation
 * (the linear bottleneck), and the add of the skip where stride is 1 and the width is kept. With `dilation` > 1 (a
 * segmentation backbone's last stage) the depthwise conv is dilated and padded by (k − 1)/2 · dilation and takes
 * stride 1 instead of the config's 2, as torchvision does; the skip still follows the config's stride.
 */
function invertedResidual(b: Builder, from: string, p: string, c: Bneck, dilation = 1): string {
  const skip = c.stride === 1 && c.cin === c.cout;
  const label = `${p} (inverted residual ${c.kernel}×${c.kernel}, ×${c.expanded / c.cin}${c.se ? ', SE' : ''}, ${c.act === 'relu' ? 'ReLU' : 'h-swish'}${dilation > 1 ? `, dilation ${dilation}` : ''})`;
  const window = dilation > 1
    ? { strides: 1, padding: ((c.kernel - 1) / 2) * dilation, dilation }
    : { strides: c.stride, padding: (c.kernel - 1) / 2 };
  return b.inGroup(p, skip ? 'residual' : 'block', label, () => {
    const main = () => {
      let j = 0;
      if (c.expanded !== c.cin) convBnAct(b, `${p}.block.${j++}`, { kind: 'conv2d', params: { filters: c.expanded, kernelSize: 1 } }, c.act);
      let y = convBnAct(b, `${p}.block.${j++}`, { kind: 'depthwiseConv2d', params: { kernelSize: c.kernel, ...window } }, c.act);
      if (c.se) y = squeezeExcitation(b, y, `${p}.block.${j++}`, c.expanded, makeDivisible(c.expanded / 4), 'relu', 'hardSigmoid');
      b.last = y;
      return convBnAct(b, `${p}.block.${j}`, { kind: 'conv2d', params: { filters: c.cout, kernelSize: 1 } });
    };
    if (!skip) return main();
    const [m] = b.branches(from, [main], MAIN_ONLY);
    return b.sum(`${p}.add`, [m, from]);
  });
}

/**
 * torchvision's `mobilenet_v3_large().features` (features.0 to features.16, the 1×1 to 960) on a 224×224×3 input,
 * module names under `prefix` (`features.` for the classifier, `backbone.` inside a segmentation model). `dilated`
 * is `_mobilenet_v3_conf(dilated=True)`: the last stage (features.13-15) keeps stride 16 with dilation 2, as
 * DeepLabV3 and LR-ASPP use it. Returns the last node of every features.i, by i.
 */
export function mobilenetV3LargeFeatures(b: Builder, prefix: string, dilated = false): string[] {
  b.input('input', [224, 224, 3]);
  const ends = [b.inGroup(`${prefix}0`, 'block', `${prefix}0 (stem)`, () =>
    convBnAct(b, `${prefix}0`, { kind: 'conv2d', params: { filters: 16, kernelSize: 3, strides: 2, padding: 1 } }, 'hardSwish'))];
  LARGE.forEach((c, i) => { ends.push(invertedResidual(b, ends[i], `${prefix}${i + 1}`, c, dilated && i >= 12 ? 2 : 1)); });
  b.last = ends[ends.length - 1];
  ends.push(b.inGroup(`${prefix}16`, 'block', `${prefix}16 (1×1 to 960)`, () =>
    convBnAct(b, `${prefix}16`, { kind: 'conv2d', params: { filters: 960, kernelSize: 1 } }, 'hardSwish')));
  return ends;
}

/** torchvision `mobilenet_v3_large()` at width 1.0, 224×224. */
export function mobilenetV3Large(): Design {
  const b = new Builder(
    'MobileNet v3 Large (torchvision)',
    [
      'MobileNetV3-Large (Howard et al., "Searching for MobileNetV3", 2019) as torchvision.models.mobilenet_v3_large',
      'builds it; node ids are torchvision module names. Its unit is MobileNet v2\'s inverted residual: a 1×1 conv',
      'expands the channels (×1 to ×6), a depthwise 3×3 or 5×5 filters each channel on its own (the stride sits here), and',
      'a 1×1 projects back to a narrow "linear bottleneck" without activation; the skip joins the narrow ends where stride',
      'is 1 and the width is kept. v3 adds two things, found by architecture search: a squeeze-and-excitation gate in',
      'eight blocks (global average pool kept 1×1×C, fc1 and fc2 as 1×1 convs with bias around a ReLU, a hard-sigmoid,',
      'and a channel-wise multiply: each channel weighted by a summary of the whole image), and hard-swish, x·relu6(x+3)/6,',
      'a cheap swish, in the deeper half and the head. Batch norm uses eps 0.001 (torchvision\'s setting). Notice how few',
      'MACs the depthwise convs need next to the 1×1s, and that the head\'s 960 → 1280 Linear runs after the global pool,',
      'where it is cheap. The 0.2 dropout before classifier.3 has no node (the identity at inference).',
    ].join(' '),
  );
  mobilenetV3LargeFeatures(b, 'features.');
  b.inGroup('head', 'block', 'head (avgpool, classifier)', () => {
    b.gap('avgpool');
    b.dense('classifier.0', { units: 1280 });
    b.act('classifier.1', 'hardSwish');
    return b.dense('classifier.3', { units: 1000 });
  });
  return b.design();
}
