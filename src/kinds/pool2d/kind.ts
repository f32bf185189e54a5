import { defineLayer, NO_COUNTS, NO_WEIGHTS } from '../../contract/layer-kind.ts';
import type { Pair } from '../../contract/types.ts';
import { MAX_WINDOW, type PaddingValue } from '../../contract/params.ts';
import { formatPair, formatPairShort } from '../../contract/format.ts';
import { checkDims, explainWindow, padWord, paddingSpec, windowOutput, windowRf } from '../common.ts';

const ONE: Pair = [1, 1];

/**
 * Explicit pool padding may be at most half the window per axis (docs/design-format.md#pool-padding, PyTorch's rule
 * `pad should be at most half of effective kernel size`): a window lying wholly in the padding has no value
 * (NaN in tfjs, a RuntimeError in PyTorch). `same` padding never exceeds it.
 */
function paddingAboveHalfWindow(padding: PaddingValue, poolSize: Pair): string | null {
  if (typeof padding === 'string') return null;
  for (const a of [0, 1] as const) {
    if (2 * padding[a] > poolSize[a]) {
      const axis = padding[0] === padding[1] && poolSize[0] === poolSize[1] ? '' : a === 0 ? ' (height)' : ' (width)';
      return `padding ${padding[a]} is more than half its ${poolSize[a]}-wide window${axis}: a window lying wholly in the padding has no value; use padding ≤ ${Math.floor(poolSize[a] / 2)}`;
    }
  }
  return null;
}

/** Max and average pooling share every rule; only the name and the compiled op differ. */
function definePool<K extends 'maxPool2d' | 'avgPool2d'>(kind: K, word: 'max' | 'avg') {
  return defineLayer({
    kind,
    title: word === 'max' ? 'Max pool' : 'Avg pool',
    category: 'pooling',
    doc: `${word === 'max' ? 'Maximum' : 'Average'} over each window, per channel. Strides default to the pool size.`,
    params: {
      poolSize: { type: 'int2', min: 1, max: MAX_WINDOW, initial: 2, label: 'Pool size' },
      // No default of its own: absent means "same as poolSize" (defaultFrom), as Keras and PyTorch read it.
      strides: { type: 'int2', min: 1, max: MAX_WINDOW, optional: true, defaultFrom: 'poolSize', label: 'Strides', help: 'defaults to the pool size' },
      padding: paddingSpec,
      ceilMode: { type: 'bool', default: false, label: 'Ceil mode', help: "PyTorch's ceil_mode: round the output size up" },
    },
    arity: { min: 1, max: 1 },
    outputShape([x], p) {
      const tooMuch = paddingAboveHalfWindow(p.padding, p.poolSize);
      if (tooMuch) return tooMuch;
      const r = windowOutput(x, { kernel: p.poolSize, strides: p.strides, dilation: ONE, padding: p.padding, ceilMode: p.ceilMode }, 'pool');
      if ('error' in r) return r.error;
      return checkDims([r.res.out[0], r.res.out[1], x[2]]);
    },
    counts: () => NO_COUNTS,
    receptiveField({ params: p, inputs: [x] }) {
      const r = windowOutput(x, { kernel: p.poolSize, strides: p.strides, dilation: ONE, padding: p.padding, ceilMode: p.ceilMode });
      if ('error' in r) throw new Error(r.error);
      return windowRf(r.res, p.strides);
    },
    slidingWindow: (p) => ({
      direction: 'gather', kernel: p.poolSize, stride: p.strides, dilation: ONE, padding: p.padding, ceilMode: p.ceilMode, word: 'pool window',
    }),
    // a pool always shows its stride: its default is the window (not 1, as for a conv), so a bare "3×3" misleads
    summary: (p) => `${word}pool ${formatPair(p.poolSize)} /${formatPairShort(p.strides)}${padWord(p.padding)}${p.ceilMode ? ' ceil' : ''}`,
    explain({ params: p, inputs: [x] }) {
      const win = { kernel: p.poolSize, strides: p.strides, dilation: ONE, padding: p.padding, ceilMode: p.ceilMode };
      const r = windowOutput(x, win);
      return ['params = 0 (pooling has no weights)', ...('res' in r ? explainWindow(x, win, r.res) : [])];
    },
    initialWeights: NO_WEIGHTS,
  });
}

export const maxPool2d = definePool('maxPool2d', 'max');
export const avgPool2d = definePool('avgPool2d', 'avg');
