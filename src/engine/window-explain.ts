/**
 * "Explain this layer": a windowed layer's grids, the cells each window touches, the input rows and columns no
 * window reaches, and the output-size formula with the layer's own numbers, step by step. The sizes come from
 * `axisOutput` (contract/spatial.ts), the arithmetic every kind's shape rule uses, so the grids drawn are the
 * shapes the analysis gives (window-explain.test.ts checks every kind and option in the presets).
 */

import { formatInt } from '../contract/format.ts';
import { validateParams } from '../contract/params.ts';
import type { LayerKind } from '../contract/layer-kind.ts';
import type { SlidingWindow, WindowDirection } from '../contract/sliding-window.ts';
import { axisOutput, paddingPerAxis } from '../contract/spatial.ts';
import type { DesignNode, NodeAnalysis, Shape } from '../contract/types.ts';
import { getLayerKind } from './registry.ts';

/** One axis (`h` rows or `w` columns) of a windowed layer. */
export interface AxisExplanation {
  /** the layer's input size along the axis */
  input: number;
  /** the layer's output size along the axis (the analysis's) */
  output: number;
  kernel: number;
  stride: number;
  dilation: number;
  /** d·(k−1)+1 */
  extent: number;
  /**
   * gather: zero cells padded before (top/left) and after (bottom/right) the input, ceil mode's extra included;
   * scatter: cells cropped off the full output's start and end (`after` is negative where the output runs past the
   * full output: PyTorch's output padding beyond the crop, or TensorFlow's `same` with a kernel smaller than the
   * stride; no window writes those cells)
   */
  before: number;
  after: number;
  /**
   * gather: the input cells (0-based) no window reads: the last ones when the stride does not divide, and the gaps
   * a dilation larger than the stride leaves; scatter: the output cells no input's window writes
   */
  unreached: number[];
  /** the output-size formula with this layer's numbers, one step a line, the last one ending `= output` */
  steps: string[];
}

export interface WindowExplanation {
  direction: WindowDirection;
  /** what slides, in the words on screen (`kernel`, `pool window`, `copy`) */
  word: string;
  /** `[rows, columns]` */
  axes: [AxisExplanation, AxisExplanation];
  /** true when both axes read alike (one formula stands for both) */
  square: boolean;
  /** the parameter formula with the layer's numbers (the kind's own `params = …` line), or null */
  params: string | null;
}

const AXIS_WORDS = [{ name: 'H', before: 'top', after: 'bottom', cells: 'row' }, { name: 'W', before: 'left', after: 'right', cells: 'column' }] as const;

/** Where window `o` starts, in unpadded input coordinates (gather), or output coordinates before the crop (scatter). */
export const windowStart = (a: AxisExplanation, o: number): number => o * a.stride - a.before;

/** The cells window `o` touches along an axis (its taps, `dilation` apart), in the coordinates of `windowStart`. */
export function windowTaps(a: AxisExplanation, o: number): number[] {
  return Array.from({ length: a.kernel }, (_, t) => windowStart(a, o) + t * a.dilation);
}

/** Cells in `[0, size)` that no window of `count` windows touches. */
function untouched(a: AxisExplanation, count: number, size: number): number[] {
  const hit = new Uint8Array(size);
  for (let o = 0; o < count; o++) for (const c of windowTaps(a, o)) if (c >= 0 && c < size) hit[c] = 1;
  const out: number[] = [];
  hit.forEach((v, i) => { if (!v) out.push(i); });
  return out;
}

function gatherSteps(axis: 0 | 1, w: SlidingWindow, size: number, out: number, before: number, after: number): string[] {
  const words = AXIS_WORDS[axis];
  const k = w.kernel[axis];
  const s = w.stride[axis];
  const d = w.dilation[axis];
  const extent = d * (k - 1) + 1;
  const steps: string[] = [];
  if (d > 1) steps.push(`dilated kernel = ${d}·(${k} − 1) + 1 = ${extent}`);
  const pad = paddingPerAxis(w.padding)[axis];
  if (pad === 'same') {
    const total = before + after;
    steps.push(`out = ⌈${size} / ${s}⌉ = ${out}`);
    steps.push(`padding = max((${out} − 1)·${s} + ${extent} − ${size}, 0) = ${total}`);
    steps.push(`TensorFlow's 'same' split: ${before} ${words.before}, ${after} ${words.after} (an odd pixel goes ${words.after})`);
    return steps;
  }
  const p = pad === 'valid' ? 0 : pad;
  const span = size + 2 * p - extent;
  const [l, r] = w.ceilMode ? ['⌈', '⌉'] : ['⌊', '⌋'];
  const rounded = w.ceilMode ? Math.ceil(span / s) : Math.floor(span / s);
  steps.push(`out = ${l}(${size} + 2·${p} − ${extent}) / ${s}${r} + 1`);
  const exact = Number.isInteger(span / s);
  steps.push(`= ${l}${span} / ${s}${r} + 1`);
  if (!exact) steps.push(`= ${l}${trimmed(span / s)}${r} + 1 (${w.ceilMode ? 'ceil mode rounds up' : 'the floor drops the part window'})`);
  steps.push(`= ${rounded} + 1`);
  if (rounded + 1 !== out) {
    // PyTorch's ceil mode drops a last window that would start in the right-hand padding (spatial.ts)
    steps.push(`= ${rounded + 1}, less the last window, which would start in the padding: ${out}`);
  } else steps.push(`= ${out}`);
  return steps;
}

const trimmed = (v: number) => (Math.round(v * 1000) / 1000).toString();

function scatterSteps(axis: 0 | 1, w: SlidingWindow, size: number, out: number, full: number, before: number): string[] {
  const k = w.kernel[axis];
  const s = w.stride[axis];
  const d = w.dilation[axis];
  const extent = d * (k - 1) + 1;
  const extra = w.outputPadding?.[axis] ?? 0;
  const steps: string[] = [];
  if (d > 1) steps.push(`dilated kernel = ${d}·(${k} − 1) + 1 = ${extent}`);
  if (paddingPerAxis(w.padding)[axis] === 'same') {
    // TensorFlow's rule (conv2d-transpose/geometry.ts): out = in·s, the full output cropped or zero-extended to it
    steps.push(`out = in·s = ${size}·${s} = ${out}`);
    const total = full - out;
    steps.push(total >= 0
      ? `crop = (${size} − 1)·${s} + ${extent} − ${out} = ${total}: ${before} before, ${total - before} after (the odd cell goes after)`
      : `the full output, (${size} − 1)·${s} + ${extent} = ${full}, is zero-extended by ${-total} at the end: = ${out}`);
    return steps;
  }
  const crop = before > 0 ? ` − ${before} − ${before}` : '';
  steps.push(`out = (${size} − 1)·${s} + ${extent}${crop}${extra ? ` + ${extra}` : ''}`);
  steps.push(`= ${out}`);
  return steps;
}

/**
 * One axis of a window over `size` input cells.
 * @returns null when the window does not fit (the kind's shape rule reports that error).
 */
function explainAxis(axis: 0 | 1, w: SlidingWindow, size: number): AxisExplanation | null {
  const k = w.kernel[axis];
  const s = w.stride[axis];
  const d = w.dilation[axis];
  const extent = d * (k - 1) + 1;
  const pad = paddingPerAxis(w.padding)[axis];
  if (w.direction === 'scatter') {
    // the crop: explicit pixels each side (PyTorch's padding, the output padding given back at the end), or
    // TensorFlow's `same` (output = input·stride: the full output cropped, the odd cell after, or zero-extended)
    const full = (size - 1) * s + extent;
    let before: number;
    let output: number;
    if (pad === 'same') {
      output = size * s;
      before = Math.floor(Math.max(full - output, 0) / 2);
    } else {
      before = pad === 'valid' ? 0 : pad;
      output = full - 2 * before + (w.outputPadding?.[axis] ?? 0);
    }
    if (output < 1) return null;
    const after = full - before - output;
    const a: AxisExplanation = { input: size, output, kernel: k, stride: s, dilation: d, extent, before, after, unreached: [], steps: [] };
    a.unreached = untouched({ ...a, before: 0 }, size, Math.max(full, before + output)).filter((c) => c >= before && c < before + output).map((c) => c - before);
    a.steps = scatterSteps(axis, w, size, output, full, before);
    return a;
  }
  const r = axisOutput({ size, kernel: k, stride: s, dilation: d, padding: pad, ceilMode: w.ceilMode });
  if (!r) return null;
  const a: AxisExplanation = { input: size, output: r.out, kernel: k, stride: s, dilation: d, extent, before: r.before, after: r.after, unreached: [], steps: [] };
  a.unreached = untouched(a, r.out, size);
  a.steps = gatherSteps(axis, w, size, r.out, r.before, r.after);
  return a;
}

/**
 * The explanation of a windowed layer on its `[H, W, C]` input.
 * @param paramsLine the kind's parameter formula (`params = 3·3·128·64 + 64 = 73,792`), shown beside the grids
 * @returns null when the window does not fit the input or the input is not an image.
 */
export function explainSlidingWindow(w: SlidingWindow, input: Shape, paramsLine: string | null = null): WindowExplanation | null {
  if (input.length !== 3) return null;
  const h = explainAxis(0, w, input[0]);
  const v = explainAxis(1, w, input[1]);
  if (!h || !v) return null;
  const same = (x: AxisExplanation, y: AxisExplanation) => x.input === y.input && x.kernel === y.kernel && x.stride === y.stride
    && x.dilation === y.dilation && x.before === y.before && x.after === y.after;
  return { direction: w.direction, word: w.word, axes: [h, v], square: same(h, v), params: paramsLine };
}

/**
 * The explanation for a node of the design, from its kind's `slidingWindow` and the analysis's input shape; null
 * for a kind without a window, a node with an error, or params that do not validate.
 */
export function explainNodeWindow(node: DesignNode, a: NodeAnalysis, kind: LayerKind | undefined = getLayerKind(node.kind)): WindowExplanation | null {
  if (!kind?.slidingWindow || !a.outputShape || !a.inputShapes?.[0]) return null;
  const { params } = validateParams(kind.params, node.params);
  if (!params) return null;
  const input = a.inputShapes[0];
  let paramsLine: string | null;
  try {
    paramsLine = kind.explain?.({ params, inputs: a.inputShapes as Shape[], output: a.outputShape }).find((l) => l.startsWith('params')) ?? null;
  } catch {
    paramsLine = null; // an explain that cannot read these shapes leaves the formula out, not the view
  }
  return explainSlidingWindow(kind.slidingWindow(params), input, paramsLine);
}

/** `1 row (7)`, `2 columns (6, 7)`: unreached cells in words, or null when every cell is reached. */
export function unreachedText(a: AxisExplanation, axis: 0 | 1): string | null {
  if (!a.unreached.length) return null;
  const word = AXIS_WORDS[axis].cells;
  const n = a.unreached.length;
  const list = n <= 6 ? a.unreached.join(', ') : `${a.unreached.slice(0, 5).join(', ')} … ${a.unreached[n - 1]}`;
  return `${formatInt(n)} ${word}${n === 1 ? '' : 's'} (${list})`;
}
