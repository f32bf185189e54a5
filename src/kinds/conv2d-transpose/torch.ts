/**
 * Conv 2D transpose in PyTorch: `nn.ConvTranspose2d` with the crop as its `padding` and the end's extension as its
 * `output_padding` (geometry.ts `torchAxis`), its Keras kernel [kh, kw, filters, Cin] as [Cin, filters, kh, kw]
 * (no flip: both frameworks add input pixel j's taps to output rows j·s − crop … j·s − crop + k − 1).
 */

import { transpose, tuple, weightAndBias, withActivation } from '../../backends/torch-rule.ts';
import type { TorchRuleOf } from '../rules.ts';
import { axisPadding, torchAxis, transposedAxis } from './geometry.ts';

export const conv2dTransposeTorch: TorchRuleOf<'conv2dTranspose'> = {
  emit({ p, inShape, attr }) {
    const plans = [0, 1].map((a) => torchAxis(transposedAxis({
      size: inShape[a], kernel: p.kernelSize[a], stride: p.strides[a], padding: axisPadding(p.padding, a as 0 | 1), outputPadding: p.outputPadding[a],
    })));
    const args = [`${inShape[2]}, ${p.filters}`, `kernel_size=${tuple(p.kernelSize)}`, `stride=${tuple(p.strides)}`, `padding=${tuple(plans.map((x) => x.padding))}`];
    if (plans.some((x) => x.outputPadding > 0)) args.push(`output_padding=${tuple(plans.map((x) => x.outputPadding))}`);
    if (!p.useBias) args.push('bias=False');
    const lines = [`$out = ${attr}($x)`];
    if (plans.some((x) => x.cut !== null)) {
      const [h, w] = plans.map((x) => (x.cut === null ? '' : `:${x.cut}`));
      lines.unshift(`# TensorFlow's 'same' crops ⌊(k − s)/2⌋ rows/columns before and ⌈(k − s)/2⌉ after; PyTorch's padding crops both ends alike, so crop the smaller amount and cut the extra last one`);
      lines.push(`$out = $out[:, :, ${h}, ${w}]`);
    }
    return { init: `nn.ConvTranspose2d(${args.join(', ')})`, forward: withActivation(lines, p.activation) };
  },
  // [kh, kw, filters, Cin] → [Cin, filters, kh, kw]
  stateDict: (w) => weightAndBias(transpose(w.kernel, [3, 2, 0, 1]), w),
};
