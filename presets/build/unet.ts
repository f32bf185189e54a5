/** Encoder-decoders: U-Net as Ronneberger et al. (2015) drew it, and a small convolutional autoencoder for teaching. */

import type { Design } from '../../src/engine/index.ts';
import { Builder, SPREAD, STEP } from './builder.ts';

/** Two valid 3×3 convs with ReLU, `p_conv1` and `p_conv2` ("each followed by a rectified linear unit"). */
function doubleConv(b: Builder, p: string, filters: number): string {
  b.conv(`${p}_conv1`, { filters, kernelSize: 3, padding: 'valid', activation: 'relu' });
  return b.conv(`${p}_conv2`, { filters, kernelSize: 3, padding: 'valid', activation: 'relu' });
}

/** What each level's copy loses: (encoder size − decoder size) / 2 for 572×572 tiles, level 1 to 4. */
const CROPS = [88, 40, 16, 4];

/**
 * U-Net (Ronneberger, Fischer and Brox, "U-Net: Convolutional Networks for Biomedical Image Segmentation", 2015,
 * Fig. 1): a 572×572×1 tile in, valid 3×3 convs, 2×2 max pools and 2×2 up-convolutions, copy and crop, 388×388×2 out.
 * 31,030,658 parameters.
 */
export function unet(): Design {
  const b = new Builder(
    'U-Net (Ronneberger et al. 2015)',
    [
      'U-Net as Ronneberger, Fischer and Brox drew it ("U-Net: Convolutional Networks for Biomedical Image Segmentation",',
      '2015, Fig. 1). The contracting path (enc1-enc5) is a plain classifier\'s: two valid 3×3 convs with ReLU, then a 2×2',
      'max pool that halves H×W, while the channels double from 64 to 1024. The expansive path (dec4-dec1) climbs back:',
      'a 2×2 up-convolution (a transposed conv, stride 2) doubles H×W and halves the channels, the encoder map of the',
      'same level is copied across and cropped to the same size (valid convs lose a border at every step, so the encoder',
      'map is larger: 64 → 56, 136 → 104, 280 → 200, 568 → 392), the two are concatenated, and two valid 3×3 convs',
      'follow. A 1×1 conv scores the 2 classes. Because every conv is valid, an output pixel only sees real input: a',
      '572×572 tile gives a 388×388 map, and a large image is segmented tile by tile, each tile with the margin the',
      'output pixels\' receptive field needs (the paper mirrors the image at its borders to supply it). Select head to',
      'see that field; the skip paths make the fine levels see small windows and the deep ones large.',
    ].join(' '),
  );
  b.input('input', [572, 572, 1]);
  const widths = [64, 128, 256, 512, 1024];
  const skips: string[] = [];
  widths.forEach((w, i) => {
    const level = i + 1;
    b.inGroup(`enc${level}`, 'block', `enc${level} (${w})`, () => {
      const x = doubleConv(b, `enc${level}`, w);
      if (level < widths.length) {
        skips.push(x);
        b.maxPool(`pool${level}`, { poolSize: 2, strides: 2, padding: 'valid' });
      }
      return x;
    });
  });
  // The expansive path runs down a second column and the crops down a third, so each copy's long edge crosses no
  // node (data flows downward in every preset: the "U" is drawn as a "V").
  b.moveTo(2 * SPREAD, b.y);
  for (let level = widths.length - 1; level >= 1; level--) {
    const w = widths[level - 1];
    const from = b.last;
    b.inGroup(`dec${level}`, 'block', `dec${level} (up-convolution, copy and crop, ${w})`, () => {
      const y = b.y;
      const up = b.add('conv2dTranspose', `up${level}`, { filters: w, kernelSize: 2, strides: 2, padding: 'valid' }, { from });
      // The encoder's map is larger by the border the valid convs below lost: crop half of it from each side.
      b.moveTo(3 * SPREAD, y);
      const crop = b.add('cropping2d', `crop${level}`, { cropping: CROPS[level - 1] }, { from: skips[level - 1] });
      b.moveTo(2 * SPREAD, y + STEP);
      b.concat(`cat${level}`, [crop, up]);
      return doubleConv(b, `dec${level}`, w);
    });
  }
  b.conv('head', { filters: 2, kernelSize: 1 });
  return b.design();
}

/**
 * A small convolutional autoencoder for 28×28 grey images: two strided convs down to 7×7, a 1×1 bottleneck of
 * `code` channels, two transposed convs back up (PyTorch's usual padding 1, output padding 1) and a sigmoid conv.
 */
export function autoencoder(): Design {
  const b = new Builder(
    'Convolutional autoencoder (teaching)',
    [
      'An autoencoder learns to copy its input through a narrow middle, so the middle must keep what matters. The encoder',
      '(enc1, enc2: 3×3 convs with stride 2) shrinks a 28×28 grey image to 7×7×32; the bottleneck (code, a 1×1 conv) keeps',
      'only 4 numbers per position: 7·7·4 = 196 numbers for 784 pixels, a quarter. The decoder mirrors the encoder with',
      'transposed convs (dec1, dec2: 3×3, stride 2, padding 1 and output padding 1, as PyTorch writes them) and a 3×3 conv',
      'with a sigmoid gives the image back. Try the bottleneck\'s filters: 1 keeps 49 numbers, 32 keeps 1,568, more than',
      'the input, and it may learn to copy without understanding; the parameters hardly change, the compression does.',
      'The Advice tab explains the checkerboard a 3×3 kernel with stride 2 paints (3 is not a multiple of 2) and what',
      'resize-then-convolve costs instead.',
    ].join(' '),
  );
  b.input('input', [28, 28, 1]);
  b.inGroup('encoder', 'block', 'encoder', () => {
    b.conv('enc1', { filters: 16, kernelSize: 3, strides: 2, padding: 1, activation: 'relu' });
    return b.conv('enc2', { filters: 32, kernelSize: 3, strides: 2, padding: 1, activation: 'relu' });
  });
  b.inGroup('bottleneck', 'block', 'bottleneck (7×7×4 = 196 numbers)', () => b.conv('code', { filters: 4, kernelSize: 1, activation: 'relu' }));
  b.inGroup('decoder', 'block', 'decoder', () => {
    b.add('conv2dTranspose', 'dec1', { filters: 32, kernelSize: 3, strides: 2, padding: 1, outputPadding: 1, activation: 'relu' });
    b.add('conv2dTranspose', 'dec2', { filters: 16, kernelSize: 3, strides: 2, padding: 1, outputPadding: 1, activation: 'relu' });
    return b.conv('out', { filters: 1, kernelSize: 3, padding: 1, activation: 'sigmoid' });
  });
  return b.design();
}
