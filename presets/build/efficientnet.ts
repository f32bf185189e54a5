/** EfficientNet: torchvision EfficientNet-B0 (Tan and Le, "EfficientNet: Rethinking Model Scaling for CNNs", 2019). */

import type { Design } from '../../src/engine/index.ts';
import { Builder, MAIN_ONLY } from './builder.ts';
import { squeezeExcitation } from './squeeze-excitation.ts';

/** torchvision's EfficientNet-B0 batch norm: PyTorch's defaults, eps 1e-5 and momentum 0.1 (Keras momentum 0.9). */
const BN = { epsilon: 1e-5, momentum: 0.9 };

/** One row of torchvision's B0 `MBConvConfig`s: expansion, kernel, stride of the first block, widths, blocks. */
interface Stage { expand: number; kernel: number; stride: number; cin: number; cout: number; layers: number }

/** `_efficientnet_conf('efficientnet_b0')`: width and depth multipliers 1.0, so every width is already a multiple of 8. */
const B0: Stage[] = ([
  [1, 3, 1, 32, 16, 1],
  [6, 3, 2, 16, 24, 2],
  [6, 5, 2, 24, 40, 2],
  [6, 3, 2, 40, 80, 3],
  [6, 5, 1, 80, 112, 3],
  [6, 5, 2, 112, 192, 4],
  [6, 3, 1, 192, 320, 1],
] as const).map(([expand, kernel, stride, cin, cout, layers]) => ({ expand, kernel, stride, cin, cout, layers }));

/** torchvision's `Conv2dNormActivation` `p`: conv without bias (`p.0`), batch norm (`p.1`), SiLU (`p.2`) if `act`. */
function convBnAct(b: Builder, p: string, kind: 'conv2d' | 'depthwiseConv2d', params: Record<string, unknown>, act: boolean): string {
  b.add(kind, `${p}.0`, { ...params, useBias: false });
  b.bn(`${p}.1`, BN);
  return act ? b.act(`${p}.2`, 'swish') : b.last;
}

/**
 * One torchvision `MBConv` `p` from `cin` to `cout` channels: expand 1×1 (left out at expansion 1), depthwise k×k
 * with the stride, squeeze-and-excitation (squeeze to max(1, ⌊cin/4⌋): a quarter of the block's input, not of its
 * expanded width; SiLU inside, sigmoid gate), project 1×1 without activation, and the skip's add where the stride is
 * 1 and the width is kept. Stochastic depth is the identity at inference: no node.
 */
function mbConv(b: Builder, from: string, p: string, s: Stage, cin: number, stride: number): string {
  const expanded = cin * s.expand;
  const skip = stride === 1 && cin === s.cout;
  const label = `${p} (MBConv${s.expand} ${s.kernel}×${s.kernel}, SE)`;
  return b.inGroup(p, skip ? 'residual' : 'block', label, () => {
    const main = () => {
      let j = 0;
      if (expanded !== cin) convBnAct(b, `${p}.block.${j++}`, 'conv2d', { filters: expanded, kernelSize: 1 }, true);
      const dw = convBnAct(b, `${p}.block.${j++}`, 'depthwiseConv2d', { kernelSize: s.kernel, strides: stride, padding: (s.kernel - 1) / 2 }, true);
      b.last = squeezeExcitation(b, dw, `${p}.block.${j++}`, expanded, Math.max(1, Math.floor(cin / 4)), 'swish', 'sigmoid');
      return convBnAct(b, `${p}.block.${j}`, 'conv2d', { filters: s.cout, kernelSize: 1 }, false);
    };
    if (!skip) return main();
    const [m] = b.branches(from, [main], MAIN_ONLY);
    return b.sum(`${p}.add`, [m, from]);
  });
}

/** torchvision `efficientnet_b0()`: 224×224, seven stages of MBConv blocks, a 1×1 to 1280 and the classifier. */
export function efficientnetB0(): Design {
  const b = new Builder(
    'EfficientNet-B0 (torchvision)',
    [
      'EfficientNet-B0 (Tan and Le, "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks", 2019) as',
      'torchvision.models.efficientnet_b0 builds it; node ids are torchvision module names. B0 is a small network found by',
      'architecture search from MobileNet v2\'s inverted residual (MBConv: a 1×1 expands the channels 6×, a depthwise 3×3',
      'or 5×5 carries the stride, a 1×1 projects back without activation, a skip joins the narrow ends), with a',
      'squeeze-and-excitation gate in every block (global average pool kept 1×1×C, squeeze to a quarter of the block\'s',
      'input width, SiLU, back to C, sigmoid, channel-wise multiply) and SiLU (swish, x·sigmoid(x)) everywhere. The',
      'paper\'s idea is compound scaling: B1 to B7 grow depth, width and input resolution together by one coefficient',
      '(depth α^φ, width β^φ, resolution γ^φ with α·β²·γ² ≈ 2, so each step about doubles the MACs), which beats',
      'scaling any one of them alone. Batch norm uses PyTorch\'s defaults (eps 1e-5). The 0.2 dropout before',
      'classifier.1 and the blocks\' stochastic depth have no node (the identity at inference).',
    ].join(' '),
  );
  b.input('input', [224, 224, 3]);
  let x = b.inGroup('features.0', 'block', 'features.0 (stem)', () =>
    convBnAct(b, 'features.0', 'conv2d', { filters: 32, kernelSize: 3, strides: 2, padding: 1 }, true));
  B0.forEach((s, i) => {
    for (let j = 0; j < s.layers; j++) x = mbConv(b, x, `features.${i + 1}.${j}`, s, j === 0 ? s.cin : s.cout, j === 0 ? s.stride : 1);
  });
  b.last = x;
  b.inGroup('features.8', 'block', 'features.8 (1×1 to 1280)', () =>
    convBnAct(b, 'features.8', 'conv2d', { filters: 1280, kernelSize: 1 }, true));
  b.inGroup('head', 'block', 'head (avgpool, classifier)', () => {
    b.gap('avgpool');
    return b.dense('classifier.1', { units: 1000 });
  });
  return b.design();
}
