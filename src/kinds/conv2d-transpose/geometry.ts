/**
 * The arithmetic of a transposed convolution (`conv2dTranspose`), one axis at a time: the one place its output size,
 * its crop and its receptive-field step are worked out, which the kind's definition, its backends and its Keras
 * import all read (docs/design-format.md#transposed-convolution).
 *
 * Input unit j adds its k taps to the rows j·s … j·s + k − 1 of the *full* output, (in − 1)·s + k rows long. The
 * layer's output is the full output with `crop` rows dropped first, then cut, or zero-extended, to `out` rows:
 * - explicit padding p (PyTorch's `ConvTranspose2d(padding=p, output_padding=op)`): crop p, out (in − 1)·s − 2p + k + op;
 * - `valid`: p = 0 (out (in − 1)·s + k + op: not Keras's `valid`, which gives in·s + max(k − s, 0));
 * - `same` (TensorFlow's rule): crop ⌊max(k − s, 0) / 2⌋, out in·s.
 * A bias is added to every output row, the zero-extended ones too (as PyTorch and TensorFlow do).
 */

import type { PaddingValue } from '../../contract/params.ts';
import type { RfPhasedAxis } from '../../contract/layer-kind.ts';

/** One axis of a transposed convolution: its input size, kernel, stride, padding and output padding. */
export interface TransposedAxisParams {
  size: number;
  kernel: number;
  stride: number;
  /** `'valid'`, `'same'` or the explicit crop p of one axis */
  padding: 'valid' | 'same' | number;
  outputPadding: number;
}

/** What one axis of a transposed convolution does. */
export interface TransposedAxis {
  /** the full output's length, (in − 1)·s + k */
  full: number;
  /** rows dropped from the start of the full output */
  crop: number;
  /** the output's length (may be < 1 where the crop eats everything: the kind's shape rule refuses that) */
  out: number;
}

/**
 * One axis of a transposed convolution (the rules in this module's comment).
 * @example transposedAxis({ size: 4, kernel: 3, stride: 2, padding: 1, outputPadding: 1 }) // → { full: 9, crop: 1, out: 8 }
 * @example transposedAxis({ size: 4, kernel: 3, stride: 2, padding: 'same', outputPadding: 0 }) // → { full: 9, crop: 0, out: 8 }
 */
export function transposedAxis(a: TransposedAxisParams): TransposedAxis {
  const full = (a.size - 1) * a.stride + a.kernel;
  if (a.padding === 'same') return { full, crop: Math.floor(Math.max(a.kernel - a.stride, 0) / 2), out: a.size * a.stride };
  const p = a.padding === 'valid' ? 0 : a.padding;
  return { full, crop: p, out: full - 2 * p + a.outputPadding };
}

/** The padding of one axis (0 rows, 1 columns) of a padding param. */
export const axisPadding = (p: PaddingValue, axis: 0 | 1): 'valid' | 'same' | number => (typeof p === 'string' ? p : p[axis]);

/**
 * The receptive-field step of one axis (docs/receptive-field.md#windows-that-depend-on-the-units-position): output
 * unit i receives from input units ⌈(i + crop − k + 1)/s⌉ … ⌊(i + crop)/s⌋, so the step has period s and advance 1.
 * Where k < s some phases receive from no input unit (they hold the bias alone): their window is empty, written
 * [b + 1, b] with b = ⌊(i + crop)/s⌋.
 * @example transposedRfAxis(3, 2, 0) // → { period: 2, advance: 1, windows: [[-1, 0], [0, 0]] }
 * @example transposedRfAxis(1, 2, 0) // → { period: 2, advance: 1, windows: [[0, 0], [1, 0]] } (odd units see nothing)
 */
export function transposedRfAxis(kernel: number, stride: number, crop: number): RfPhasedAxis {
  const windows = Array.from({ length: stride }, (_, r): [number, number] => {
    const last = Math.floor((r + crop) / stride);
    return [Math.ceil((r + crop - kernel + 1) / stride), last];
  });
  return { period: stride, advance: 1, windows };
}

/**
 * One axis as PyTorch's `ConvTranspose2d` writes it, which crops its `padding` q from both ends of the full output
 * and extends the end by `output_padding` (< stride): q = the crop; the output padding that reaches the output's
 * end; and `cut`, the rows to keep where a symmetric crop leaves one too many (TensorFlow's `same` with k − s odd
 * drops ⌊(k − s)/2⌋ rows before and ⌈(k − s)/2⌉ after), else null.
 * @example torchAxis({ full: 9, crop: 0, out: 8 }) // → { padding: 0, outputPadding: 0, cut: 8 } (k 3, s 2, same)
 */
export function torchAxis(a: TransposedAxis): { padding: number; outputPadding: number; cut: number | null } {
  const end = a.crop + a.out; // the output's end, counted in the full output's rows
  const symmetricEnd = a.full - a.crop;
  return { padding: a.crop, outputPadding: Math.max(end - symmetricEnd, 0), cut: end < symmetricEnd ? a.out : null };
}

/**
 * One axis as ONNX's `ConvTranspose` writes it, whose pads may differ at the two ends: `[begin, end]` pads dropped
 * from the full output and the `output_padding` added at its end (output = full + output_padding − begin − end).
 * @example onnxAxis({ full: 9, crop: 0, out: 8 }) // → { pads: [0, 1], outputPadding: 0 }
 */
export function onnxAxis(a: TransposedAxis): { pads: [number, number]; outputPadding: number } {
  const end = a.crop + a.out;
  return { pads: [a.crop, Math.max(a.full - end, 0)], outputPadding: Math.max(end - a.full, 0) };
}
