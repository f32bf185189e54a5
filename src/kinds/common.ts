/** Helpers shared by the layer modules: shape checks and the sliding-window output rule. */

import { formatInt, formatPair, formatPairShort } from '../contract/format.ts';
import type { RfStep } from '../contract/layer-kind.ts';
import { ACTIVATIONS, MAX_DIM, MAX_WINDOW, type ActivationName, type PaddingValue } from '../contract/params.ts';
import type { SlidingWindow } from '../contract/sliding-window.ts';
import { window2d, type ConvWindowValues, type Window2dResult } from '../contract/spatial.ts';
import type { Pair, Shape } from '../contract/types.ts';

const isImage = (s: Shape) => s.length === 3;

export function needImage(s: Shape, what = 'an image-shaped input [H, W, C]'): string | null {
  return isImage(s) ? null : `needs ${what}, got a flat vector [${formatInt(s[0])}]; it must come before Flatten or Dense`;
}

/** Output dimensions beyond MAX_DIM are refused rather than overflowing later arithmetic. */
export function checkDims(shape: Shape): Shape | string {
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] > MAX_DIM) return `output ${shape.join('×')} has a size above ${formatInt(MAX_DIM)}, too large to be real`;
  }
  return shape;
}

export interface WindowParams {
  kernel: Pair;
  strides: Pair;
  dilation: Pair;
  padding: PaddingValue;
  ceilMode?: boolean;
}

/** `[Ho, Wo]` of a window over an image, or a message when the kernel does not fit. */
export function windowOutput(input: Shape, p: WindowParams, word = 'kernel'): { res: Window2dResult } | { error: string } {
  const bad = needImage(input);
  if (bad) return { error: bad };
  const [h, w] = input;
  const r = window2d(h, w, { kernel: p.kernel, stride: p.strides, dilation: p.dilation, padding: p.padding, ceilMode: p.ceilMode });
  if ('fail' in r) {
    const dil = p.dilation[0] > 1 || p.dilation[1] > 1;
    const padding = p.padding === 'valid' ? 'padding 0' : `padding ${typeof p.padding === 'string' ? p.padding : formatPair(p.padding)}`;
    return {
      error: `${word} ${formatPair(p.kernel)}${dil ? ` (dilated to ${p.dilation[0] * (p.kernel[0] - 1) + 1}×${p.dilation[1] * (p.kernel[1] - 1) + 1})` : ''} is larger than its ${h}×${w} input (${padding})`,
    };
  }
  return { res: r.ok };
}

export function windowRf(res: Window2dResult, strides: Pair): RfStep {
  return { extent: res.extent, stride: strides, padBefore: res.before };
}

/** `out = ⌊(56 + 2·1 − 3) / 1⌋ + 1 = 56` for each distinct axis. */
export function explainWindow(input: Shape, p: WindowParams, res: Window2dResult): string[] {
  const lines: string[] = [];
  const axes = input[0] === input[1] && p.kernel[0] === p.kernel[1] && p.strides[0] === p.strides[1]
    && p.dilation[0] === p.dilation[1] && res.before[0] === res.before[1] && res.after[0] === res.after[1]
    ? [0] : [0, 1];
  for (const a of axes) {
    const name = axes.length === 1 ? 'out' : a === 0 ? 'out H' : 'out W';
    const k = p.dilation[a] > 1 ? `${p.dilation[a]}·(${p.kernel[a]}−1)+1` : String(p.kernel[a]);
    if (p.padding === 'same') {
      lines.push(`${name} = ⌈${input[a]} / ${p.strides[a]}⌉ = ${res.out[a]}  ('same': pad ${res.before[a]} before, ${res.after[a]} after)`);
    } else {
      const pad = res.before[a];
      const bracket = p.ceilMode ? ['⌈', '⌉'] : ['⌊', '⌋'];
      const padPart = pad ? ` + 2·${pad}` : '';
      lines.push(`${name} = ${bracket[0]}(${input[a]}${padPart} − ${k}) / ${p.strides[a]}${bracket[1]} + 1 = ${res.out[a]}`);
    }
  }
  return lines;
}

const kernelSpec = { type: 'int2', min: 1, max: MAX_WINDOW, label: 'Kernel size' } as const;
const stridesSpec = { type: 'int2', min: 1, max: MAX_WINDOW, default: 1, label: 'Strides' } as const;
const dilationSpec = { type: 'int2', min: 1, max: MAX_WINDOW, default: 1, label: 'Dilation' } as const;
export const paddingSpec = { type: 'padding', default: 'valid', label: 'Padding', help: '"valid", "same" (TensorFlow rule) or explicit pixels (PyTorch rule)' } as const;
/** A convolution's output channels (conv2d, separableConv2d). */
export const filtersSpec = { type: 'int', min: 1, max: MAX_DIM, initial: 64, label: 'Filters' } as const;
/** Filters per input channel of a depthwise convolution (depthwiseConv2d, separableConv2d's depthwise part). */
export const depthMultiplierSpec = { type: 'int', min: 1, max: MAX_DIM, default: 1, label: 'Depth multiplier' } as const;
export const useBiasSpec = { type: 'bool', default: true, label: 'Use bias' } as const;
export const activationSpec = { type: 'enum', options: ACTIVATIONS, default: 'linear', label: 'Activation' } as const;

/**
 * The window params every convolution kind has (conv2d, depthwiseConv2d, separableConv2d), in Keras's order:
 * spread into the kind's params after its own leading ones (`filters`).
 */
export const convWindowSpecs = {
  kernelSize: { ...kernelSpec, initial: 3 },
  strides: stridesSpec,
  padding: paddingSpec,
  dilation: dilationSpec,
} as const;

/**
 * The params of a depthwise convolution stage (its window, its depth multiplier, the bias and the activation), in
 * Keras's order: all of `depthwiseConv2d`'s params, and `separableConv2d`'s after its `filters` (a depthwise stage,
 * then a pointwise one; its bias and activation are the pointwise stage's).
 */
export const depthwiseSpecs = {
  ...convWindowSpecs,
  depthMultiplier: depthMultiplierSpec,
  useBias: useBiasSpec,
  activation: activationSpec,
} as const;

/** The resolved values of `convWindowSpecs` (the type lives in the contract: the tfjs helpers read it too). */
export type { ConvWindowValues };

/** The params of a convolution layer beyond its window that its backends read (conv2d, depthwiseConv2d). */
export interface ConvLayerValues extends ConvWindowValues {
  useBias: boolean;
  activation: ActivationName;
}

/** A convolution's params as the window rules (`windowOutput`, `explainWindow`) read them. */
export const windowOfConv = (p: ConvWindowValues): WindowParams => ({ kernel: p.kernelSize, strides: p.strides, dilation: p.dilation, padding: p.padding });

/** A convolution's window as the "Explain this layer" view draws it (conv2d, depthwiseConv2d, separableConv2d's depthwise stage). */
export const convSlidingWindow = (p: ConvWindowValues): SlidingWindow => ({
  direction: 'gather', kernel: p.kernelSize, stride: p.strides, dilation: p.dilation, padding: p.padding, word: 'kernel',
});

/**
 * The output of a depthwise convolution stage (a `depthwiseConv2d`, or the first half of a `separableConv2d`):
 * `[Ho, Wo, Cin·dm]` from the kh×kw window over `x` (`[H, W, Cin]`), or the problem in words, `stage` saying
 * whether the window does not fit the input (`window`) or the output is too large to be real (`size`).
 */
export function depthwiseOutput(x: Shape, p: ConvWindowValues & { depthMultiplier: number }): { shape: Shape } | { problem: string; stage: 'window' | 'size' } {
  const r = windowOutput(x, windowOfConv(p));
  if ('error' in r) return { problem: r.error, stage: 'window' };
  const shape = checkDims([r.res.out[0], r.res.out[1], x[2] * p.depthMultiplier]);
  return typeof shape === 'string' ? { problem: shape, stage: 'size' } : { shape };
}

/**
 * How a convolution's kh×kw window moves the receptive field (a 1×1 after it, as in a separable conv, adds nothing).
 * @throws Error when the window does not fit, which the kind's shape rule reports first (the analysis runs it before).
 */
export function convReceptiveField(p: ConvWindowValues, input: Shape): RfStep {
  const r = windowOutput(input, windowOfConv(p));
  if ('error' in r) throw new Error(r.error);
  return windowRf(r.res, p.strides);
}

/** `3×3 /2` style window text for node summaries (stride omitted when 1). */
export function windowText(kernel: Pair, strides: Pair): string {
  const k = formatPair(kernel);
  const s = strides[0] === strides[1] ? String(strides[0]) : formatPair(strides);
  return strides[0] === 1 && strides[1] === 1 ? k : `${k} /${s}`;
}

export function padWord(p: PaddingValue): string {
  return p === 'valid' ? '' : p === 'same' ? ' same' : ` pad ${formatPairShort(p)}`;
}
