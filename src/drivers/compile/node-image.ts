/** Node only: decodes a PNG or JPEG in pure JS and turns it into an input tensor (image-fit.ts's rule, 0..1). */

import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DEFAULT_IMAGE_FIT, resizeRgba, rgbaToChannels, sourceRect, type ImageFit } from './image-fit.ts';
import { imageSize, imageTooLarge, isJpeg, isPng, MAX_IMAGE_PIXELS } from './image-size.ts';

export { imageSize, MAX_IMAGE_PIXELS };

/** A file that cannot be read or is not a PNG/JPEG image. */
export class ImageError extends Error {}

export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel */
  data: Uint8Array;
}


/** Decodes PNG or JPEG bytes to RGBA; `ImageError` for anything else, or for an image above `maxPixels`. */
export function decodeImage(bytes: Uint8Array, maxPixels = MAX_IMAGE_PIXELS): RgbaImage {
  const size = imageSize(bytes);
  const tooLarge = size && imageTooLarge(size, maxPixels);
  if (tooLarge) throw new ImageError(tooLarge);
  try {
    if (isPng(bytes)) {
      const png = PNG.sync.read(Buffer.from(bytes));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) };
    }
    if (isJpeg(bytes)) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024, maxResolutionInMP: maxPixels / 1e6 });
      return { width: img.width, height: img.height, data: img.data };
    }
  } catch (e) {
    throw new ImageError(`cannot decode the image: ${(e as Error).message}`);
  }
  throw new ImageError('not a PNG or JPEG image');
}

/** Reads and decodes an image file; `ImageError` (one clear line) when it cannot. */
export async function readImageFile(file: string): Promise<RgbaImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`);
  }
  try {
    return decodeImage(bytes);
  } catch (e) {
    throw new ImageError(`${file}: ${(e as Error).message}`);
  }
}

/**
 * `[1, H, W, C]` float32 in 0..1 from an image: the source rectangle of `fit` (`sourceRect`: centre-crop by
 * default), a bilinear resize with half-pixel centres (`resizeRgba`) and the input's channels
 * (`rgbaToChannels`: 3 RGB, 1 grey, 4 RGBA): the Run tab's rule, by the same functions. Throws a plain Error for other input shapes (an image cannot feed them).
 */
export function imageToInput(img: RgbaImage, shape: number[], fit: ImageFit = DEFAULT_IMAGE_FIT): tf.Tensor4D {
  if (shape.length !== 3 || ![1, 3, 4].includes(shape[2])) {
    throw new Error(`an image cannot feed an input of shape [${shape.join(', ')}] (needs [H, W, 1|3|4])`);
  }
  const [h, w, c] = shape;
  const rect = sourceRect(img.width, img.height, h, w, fit);
  return tf.tensor4d(rgbaToChannels(resizeRgba(img.data, img.width, img.height, h, w, rect), c), [1, h, w, c]);
}

// `run`'s random image, in a browser-safe file: the Run tab's profile draws the same one
export { randomInput } from './random-input.ts';
