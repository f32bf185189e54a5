/**
 * Sliding-window arithmetic shared by convolutions and pools: output size, the padding actually applied,
 * and the receptive-field step of the layer. One axis at a time.
 */

import type { PaddingValue } from './params.ts';
import type { Pair, Shape } from './types.ts';

export interface AxisWindow {
  /** input size along the axis */
  size: number;
  kernel: number;
  stride: number;
  dilation: number;
  /** `'valid'`, `'same'` or explicit symmetric padding in pixels */
  padding: 'valid' | 'same' | number;
  /** PyTorch `ceil_mode` (pools only) */
  ceilMode?: boolean;
}

export interface AxisResult {
  out: number;
  /** zero padding applied before (top/left) and after (bottom/right), after rounding */
  before: number;
  after: number;
  /** effective kernel extent d·(k−1)+1 */
  extent: number;
}

/**
 * Output size of one axis under the rules of docs/design-format.md#output-size.
 * @example axisOutput({ size: 56, kernel: 3, stride: 1, dilation: 1, padding: 1 }) // → { out: 56, before: 1, after: 1, extent: 3 }
 * @returns the result, or `null` when the window does not fit (output below 1).
 */
export function axisOutput(w: AxisWindow): AxisResult | null {
  const extent = w.dilation * (w.kernel - 1) + 1;
  if (w.padding === 'same') {
    const out = Math.ceil(w.size / w.stride);
    const total = Math.max((out - 1) * w.stride + extent - w.size, 0);
    const before = Math.floor(total / 2);
    return { out, before, after: total - before, extent };
  }
  const p = w.padding === 'valid' ? 0 : w.padding;
  const span = w.size + 2 * p - extent;
  if (span < 0) return null;
  if (!w.ceilMode) {
    const out = Math.floor(span / w.stride) + 1;
    return { out, before: p, after: p, extent };
  }
  let out = Math.ceil(span / w.stride) + 1;
  // PyTorch drops the last window when it would start inside the right-hand padding.
  if ((out - 1) * w.stride >= w.size + p) out -= 1;
  const needed = (out - 1) * w.stride + extent - (w.size + 2 * p);
  return { out, before: p, after: p + Math.max(needed, 0), extent };
}

/** Splits a padding param into one value per axis. */
export function paddingPerAxis(p: PaddingValue): ['valid' | 'same' | number, 'valid' | 'same' | number] {
  return typeof p === 'string' ? [p, p] : [p[0], p[1]];
}

export interface Window2d {
  kernel: Pair;
  stride: Pair;
  dilation: Pair;
  padding: PaddingValue;
  ceilMode?: boolean;
}

export interface Window2dResult {
  out: Pair;
  before: Pair;
  after: Pair;
  extent: Pair;
}

/** Both spatial axes of `[H, W, C]` through a window; `null` on an axis means the kernel does not fit. */
export function window2d(h: number, w: number, win: Window2d): { ok: Window2dResult } | { fail: 0 | 1 } {
  const pads = paddingPerAxis(win.padding);
  const axis = (i: 0 | 1) => axisOutput({
    size: i === 0 ? h : w,
    kernel: win.kernel[i],
    stride: win.stride[i],
    dilation: win.dilation[i],
    padding: pads[i],
    ceilMode: win.ceilMode,
  });
  const a = axis(0);
  if (!a) return { fail: 0 };
  const b = axis(1);
  if (!b) return { fail: 1 };
  return {
    ok: { out: [a.out, b.out], before: [a.before, b.before], after: [a.after, b.after], extent: [a.extent, b.extent] },
  };
}

/**
 * Per-row and per-column factors (full window / cells inside the explicitly padded input) for a ceil-mode
 * average pool on `[H, W, C]`, or null when no window hangs over. PyTorch's `ceil_mode` with
 * `count_include_pad=True` divides the last window by the cells it covers in the padded input, not by the full
 * window; the compiler multiplies a zero-padded tfjs average pool by these factors, and the Keras importer checks
 * them when it reads such a pool back.
 */
export function ceilCountScale(x: Shape, kernel: Pair, strides: Pair, padding: PaddingValue): { rows: number[]; cols: number[] } | null {
  const r = window2d(x[0], x[1], { kernel, stride: strides, dilation: [1, 1], padding, ceilMode: true });
  if ('fail' in r) return null;
  const axis = (a: 0 | 1) => {
    const explicit = r.ok.before[a]; // explicit pool padding is symmetric; anything beyond it after is ceil extra
    const end = x[a] + explicit; // the padded input ends here, counted from the unpadded start
    return Array.from({ length: r.ok.out[a] }, (_, i) => {
      const start = i * strides[a] - explicit;
      const covered = Math.min(start + kernel[a], end) - start;
      return kernel[a] / covered;
    });
  };
  const rows = axis(0);
  const cols = axis(1);
  return rows.every((v) => v === 1) && cols.every((v) => v === 1) ? null : { rows, cols };
}

/** A convolution's window as its params give it, resolved: what the kinds' `convWindowSpecs` validate and the backends' conv helpers read. */
export interface ConvWindowValues {
  kernelSize: Pair;
  strides: Pair;
  dilation: Pair;
  padding: PaddingValue;
}

/**
 * The greatest common divisor of two whole numbers (Euclid's algorithm; `gcd(a, 0) = a`): the period two strides or
 * phase counts share (receptive fields, docs/receptive-field.md) and the group counts that divide both a conv's
 * input channels and its filters.
 * @example gcd(12, 18) // → 6
 */
export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
