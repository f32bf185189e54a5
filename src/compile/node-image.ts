/** Node only: decodes a PNG or JPEG in pure JS and turns it into an input tensor (bilinear resize, 0..1). */

import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DEFAULT_IMAGE_FIT, sourceRect, type ImageFit } from './image-fit.ts';

/** A file that cannot be read or is not a PNG/JPEG image. */
export class ImageError extends Error {}

export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel */
  data: Uint8Array;
}

const isPng = (b: Uint8Array) => b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** Decodes PNG or JPEG bytes to RGBA; `ImageError` for anything else. */
export function decodeImage(bytes: Uint8Array): RgbaImage {
  try {
    if (isPng(bytes)) {
      const png = PNG.sync.read(Buffer.from(bytes));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) };
    }
    if (isJpeg(bytes)) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
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
 * default, the Run tab's rule), then a bilinear resize; C = 3 RGB, 1 grey (mean of RGB), 4 RGBA.
 * Throws a plain Error for other input shapes (an image cannot feed them).
 */
export function imageToInput(img: RgbaImage, shape: number[], fit: ImageFit = DEFAULT_IMAGE_FIT): tf.Tensor4D {
  if (shape.length !== 3 || ![1, 3, 4].includes(shape[2])) {
    throw new Error(`an image cannot feed an input of shape [${shape.join(', ')}] (needs [H, W, 1|3|4])`);
  }
  const [h, w, c] = shape;
  return tf.tidy(() => {
    const r = sourceRect(img.width, img.height, h, w, fit);
    const rgba = tf.tensor3d(img.data, [img.height, img.width, 4], 'int32').toFloat();
    let x: tf.Tensor3D = rgba.slice([r.y, r.x, 0], [r.height, r.width, c === 4 ? 4 : 3]);
    if (c === 1) x = x.mean(2, true);
    return tf.image.resizeBilinear(x, [h, w]).div(255).expandDims(0) as tf.Tensor4D;
  });
}

/** A seeded random input `[1, ...shape]` in 0..1. */
export function randomInput(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform([1, ...shape], 0, 1, 'float32', seed);
}
