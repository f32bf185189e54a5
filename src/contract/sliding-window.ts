/**
 * The sliding window of one layer as the inspector's "Explain this layer" view draws it: which window, how it
 * moves, and which way the values flow. A kind that computes its output with a window (`slidingWindow` in
 * layer-kind.ts) gives one; the engine's `explainWindowLayer` (engine/window-explain.ts) turns it into grids and
 * the output-size formula with the layer's numbers, by the same arithmetic as the kind's shape rule (spatial.ts).
 */

import type { PaddingValue } from './params.ts';
import type { Pair } from './types.ts';

/**
 * - `gather`: each output cell reads a kh×kw window of input cells (convolutions, pools, zero padding as a 1×1
 *   window over its padded input). The window steps by `stride` over the padded input.
 * - `scatter`: each input cell writes a kh×kw window of output cells, the windows `stride` apart (a transposed
 *   convolution, an upsampling by `stride` with a `stride`-sized window); `padding` is then the crop taken off the
 *   output's edges (PyTorch's `padding` of a transposed conv), and `outputPadding` extra rows/columns at the end.
 */
export type WindowDirection = 'gather' | 'scatter';

/** One layer's sliding window, per axis `[h, w]`. */
export interface SlidingWindow {
  direction: WindowDirection;
  kernel: Pair;
  stride: Pair;
  dilation: Pair;
  /** `'valid'`, `'same'` (TensorFlow's split: the odd pixel after) or explicit pixels per axis (PyTorch's rule) */
  padding: PaddingValue;
  /** PyTorch's `ceil_mode` (pools) */
  ceilMode?: boolean;
  /** scatter only: rows/columns added after the last window (PyTorch's `output_padding`) */
  outputPadding?: Pair;
  /** what slides, in the words on screen: `kernel`, `pool window`, `padding` */
  word: string;
}
