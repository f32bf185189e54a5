/**
 * Teaching designs that are watched rather than compared: the effective receptive field of a deep chain (Run tab)
 * and the output-size formula when the stride does not divide (Explain this layer). Their numbers are worked by
 * hand in presets.test.ts; the effective radii in the description were measured with `convas erf` (seed 1).
 */

import type { Design } from '../../src/engine/index.ts';
import { Builder } from './builder.ts';

/** The depth of the effective-field chain. */
export const ERF_DEPTH = 16;

/** Sixteen 3×3 `same` convolutions in a row on a 64×64 gray image: the theoretical field grows by 2 a layer. */
export function effectiveFieldChain(): Design {
  const b = new Builder(
    'Effective receptive field',
    [
      `A chain of ${ERF_DEPTH} 3×3 convolutions (8 filters, "same" padding, ReLU) on a 64×64 gray image. Each layer adds 2 to`,
      'the theoretical receptive field: 3, 5, 7, … 33×33 after 16 layers (select a layer: Run tab, How the field grows).',
      'Luo et al. (2016) showed that a unit does not see its field evenly: the gradient of the unit is concentrated in a',
      'Gaussian-like patch in the middle, whose radius grows like the square root of the depth. Run the design, select',
      'conv1, conv8, conv16: the heat map is the gradient, the dashed square holds 90% of it. On the seeded weights (seed 1,',
      'random image) the square\'s half-side is 1, 6 and 9 pixels while the field\'s half-side is 1, 8 and 16.',
    ].join(' '),
  );
  b.input('input', [64, 64, 1]);
  // stages of four, so the canvas names where the field stands: 9×9 after the first, 17×17, 25×25, 33×33
  for (let s = 0; s < ERF_DEPTH / 4; s++) {
    b.inGroup(`layers${4 * s + 1}_${4 * s + 4}`, 'block', `conv${4 * s + 1}–conv${4 * s + 4}: field ${8 * s + 9}×${8 * s + 9}`, () => {
      for (let d = 4 * s + 1; d <= 4 * s + 4; d++) b.conv(`conv${d}`, { filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' });
      return `conv${4 * s + 4}`;
    });
  }
  return b.design();
}

/** Two `valid` convolutions whose stride does not divide: the floor in the output-size formula drops a row. */
export function outputSizeFormula(): Design {
  const b = new Builder(
    'Output size: a stride that does not divide',
    [
      'The output size of a convolution is ⌊(input + 2·padding − kernel) / stride⌋ + 1. On this 28×28 image conv1 (5×5,',
      'stride 2, no padding) gives ⌊(28 − 5) / 2⌋ + 1 = ⌊11.5⌋ + 1 = 12: the last window starts at row 22 and ends at',
      '26, so row 27 and column 27 are never read. After the 2×2 pool (6×6), conv2 (3×3, stride 2) gives ⌊(6 − 3) / 2⌋ +',
      '1 = 2 and leaves row 5 and column 5 out. Select a convolution: Explain this layer slides the window and shades',
      'what it never reaches. conv1 has 5·5·1·8 + 8 = 208 parameters, conv2 3·3·8·16 + 16 = 1,168.',
    ].join(' '),
  );
  b.input('input', [28, 28, 1]);
  b.inGroup('drops_a_row', 'block', '28 → 12 → 6 → 2: strides that do not divide', () => {
    b.conv('conv1', { filters: 8, kernelSize: 5, strides: 2, padding: 'valid', activation: 'relu' });
    b.maxPool('pool', { poolSize: 2, strides: 2 });
    return b.conv('conv2', { filters: 16, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' });
  });
  return b.design();
}
