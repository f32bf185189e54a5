import { formatPair, formatPairShort } from '../../contract/format.ts';
import { defineLayer, NO_COUNTS, NO_WEIGHTS, type RfPhasedAxis } from '../../contract/layer-kind.ts';
import { MAX_WINDOW } from '../../contract/params.ts';
import { checkDims, needImage } from '../common.ts';

/** The interpolations `upsample2d` offers (docs/design-format.md#layer-kinds). */
export const UPSAMPLE_INTERPOLATIONS = ['nearest', 'bilinear'] as const;
export type UpsampleInterpolation = (typeof UPSAMPLE_INTERPOLATIONS)[number];

/**
 * The input units output unit u reads along one axis of an upsampling by the integer factor `factor`, as one
 * phased step (period `factor`, advance 1; docs/receptive-field.md#windows-that-depend-on-the-units-position):
 * - nearest: unit u reads ⌊u / factor⌋ (PyTorch's `nearest`);
 * - bilinear, PyTorch's `align_corners=False` (half-pixel centres): unit u samples the input at
 *   (u + ½) / factor − ½ = (2u + 1 − factor) / (2·factor), so it reads ⌊(2u + 1 − factor) / (2·factor)⌋ and the unit
 *   after it, whose weight is the fraction's remainder: exactly 0 where 2u + 1 − factor is a multiple of 2·factor,
 *   and a tap of weight 0 is not in the window. Edge clamping is a border effect and left out, as zero padding is.
 * @example upsampleAxis('bilinear', 2) // → { period: 2, advance: 1, windows: [[-1, 0], [0, 1]] }
 */
export function upsampleAxis(interpolation: UpsampleInterpolation, factor: number): RfPhasedAxis {
  const windows = Array.from({ length: factor }, (_, r): [number, number] => {
    if (interpolation === 'nearest') return [0, 0];
    const num = 2 * r + 1 - factor;
    const first = Math.floor(num / (2 * factor));
    return [first, num % (2 * factor) === 0 ? first : first + 1];
  });
  return { period: factor, advance: 1, windows };
}

/**
 * The window one input cell writes along an axis of an upsampling by `factor`, as a scatter: nearest copies the cell
 * into `factor` output cells (kernel = stride = factor, nothing cropped); bilinear (align_corners=False) gives it a
 * non-zero weight in the output cells whose sample point (u + ½)/factor − ½ lies less than one cell from it: 2·factor
 * cells for an even factor, 2·factor − 1 for an odd one (the end cells weigh exactly 0), starting ⌊factor/2⌋ before
 * its block, so the crop is ⌊factor/2⌋ each side and the output in·factor. Edge clamping keeps the border cells inside
 * their input cell's window.
 * @example upsampleScatter('bilinear', 2) // → { kernel: 4, crop: 1 }: out = (in − 1)·2 + 4 − 1 − 1 = 2·in
 */
export function upsampleScatter(interpolation: UpsampleInterpolation, factor: number): { kernel: number; crop: number } {
  if (interpolation === 'nearest') return { kernel: factor, crop: 0 };
  return { kernel: factor % 2 === 0 ? 2 * factor : 2 * factor - 1, crop: Math.floor(factor / 2) };
}

/**
 * Upsampling by integer factors: nearest (output pixel i is input pixel ⌊i/u⌋) or bilinear with PyTorch's
 * `align_corners=False` values (TensorFlow 2's `resize`, half-pixel centres, edges clamped). No parameters, no
 * MACs (docs/design-format.md#layer-kinds; as batch norm, the interpolation's arithmetic is not counted).
 */
export const upsample2d = defineLayer({
  kind: 'upsample2d',
  title: 'Upsample',
  category: 'resampling',
  doc: 'Enlarges the feature map by whole factors: nearest repeats each pixel, bilinear interpolates between pixel centres (PyTorch\'s align_corners=False).',
  params: {
    size: { type: 'int2', min: 1, max: MAX_WINDOW, default: 2, label: 'Factor', help: 'how many output rows and columns per input one (integers)' },
    interpolation: { type: 'enum', options: UPSAMPLE_INTERPOLATIONS, default: 'nearest', label: 'Interpolation', help: 'nearest repeats each pixel; bilinear weighs the two nearest pixel centres (align_corners=False)' },
  },
  arity: { min: 1, max: 1 },
  outputShape: ([x], p) => needImage(x) ?? checkDims([x[0] * p.size[0], x[1] * p.size[1], x[2]]),
  counts: () => NO_COUNTS,
  slidingWindow(p) {
    const [h, w] = [upsampleScatter(p.interpolation, p.size[0]), upsampleScatter(p.interpolation, p.size[1])];
    return {
      direction: 'scatter', kernel: [h.kernel, w.kernel], stride: p.size, dilation: [1, 1], padding: [h.crop, w.crop],
      word: p.interpolation === 'nearest' ? 'copy' : 'bilinear tent',
    };
  },
  receptiveField: ({ params: p }) => ({ phases: [upsampleAxis(p.interpolation, p.size[0]), upsampleAxis(p.interpolation, p.size[1])] }),
  summary: (p) => `up ×${formatPairShort(p.size)} ${p.interpolation}`,
  explain: ({ params: p, inputs: [x], output }) => [
    `out = ${x[0]}·${p.size[0]} × ${x[1]}·${p.size[1]} = ${formatPair([output[0], output[1]])}  (C = ${x[2]} unchanged)`,
    p.interpolation === 'nearest'
      ? `output pixel (i, j) = input pixel (⌊i/${p.size[0]}⌋, ⌊j/${p.size[1]}⌋)`
      : `output pixel i samples the input at (i + ½)/${p.size[0]} − ½ between the two nearest centres (align_corners=False; edges clamped)`,
    'params = 0, MACs = 0',
  ],
  initialWeights: NO_WEIGHTS,
});
