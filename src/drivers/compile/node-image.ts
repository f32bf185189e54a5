/** Node only: decodes a PNG or JPEG in pure JS and turns it into an input tensor (bilinear resize, 0..1). */

import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DEFAULT_IMAGE_FIT, sourceRect, type ImageFit, type SourceRect } from './image-fit.ts';
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
 * RGBA bytes → `[h, w, c]` float32 values in 0..1: the source rectangle `rect` (the whole image by default)
 * resized bilinearly in one pass, by the rule of tfjs's `tf.image.resizeBilinear` (alignCorners false,
 * halfPixelCenters false: source = target · in/out, the last row and column clamped); C = 3 RGB, 1 grey (the
 * mean of the interpolated RGB), 4 RGBA. Only the small result is allocated: no full-size float copy of the image.
 */
export function resizeBilinearRgba(
  img: RgbaImage, h: number, w: number, c: 1 | 3 | 4,
  rect: SourceRect = { x: 0, y: 0, width: img.width, height: img.height },
): Float32Array {
  const out = new Float32Array(h * w * c);
  const sy = rect.height / h;
  const sx = rect.width / w;
  const d = img.data;
  const rowBytes = img.width * 4;
  for (let y = 0; y < h; y++) {
    const fy = y * sy;
    const y0 = rect.y + Math.floor(fy);
    const y1 = rect.y + Math.min(rect.height - 1, Math.ceil(fy));
    const dy = fy - Math.floor(fy);
    for (let x = 0; x < w; x++) {
      const fx = x * sx;
      const x0 = rect.x + Math.floor(fx);
      const x1 = rect.x + Math.min(rect.width - 1, Math.ceil(fx));
      const dx = fx - Math.floor(fx);
      const tl = y0 * rowBytes + x0 * 4, tr = y0 * rowBytes + x1 * 4;
      const bl = y1 * rowBytes + x0 * 4, br = y1 * rowBytes + x1 * 4;
      const at = (y * w + x) * c;
      const px = (k: number) => {
        const top = d[tl + k] + (d[tr + k] - d[tl + k]) * dx;
        const bottom = d[bl + k] + (d[br + k] - d[bl + k]) * dx;
        return top + (bottom - top) * dy;
      };
      if (c === 1) out[at] = (px(0) + px(1) + px(2)) / 3 / 255;
      else for (let k = 0; k < c; k++) out[at + k] = px(k) / 255;
    }
  }
  return out;
}

/**
 * `[1, H, W, C]` float32 in 0..1 from an image: the source rectangle of `fit` (`sourceRect`: centre-crop by
 * default, the Run tab's rule), then a bilinear resize (`resizeBilinearRgba`); C = 3 RGB, 1 grey (mean of
 * RGB), 4 RGBA. Throws a plain Error for other input shapes (an image cannot feed them).
 */
export function imageToInput(img: RgbaImage, shape: number[], fit: ImageFit = DEFAULT_IMAGE_FIT): tf.Tensor4D {
  if (shape.length !== 3 || ![1, 3, 4].includes(shape[2])) {
    throw new Error(`an image cannot feed an input of shape [${shape.join(', ')}] (needs [H, W, 1|3|4])`);
  }
  const [h, w, c] = shape;
  const rect = sourceRect(img.width, img.height, h, w, fit);
  return tf.tensor4d(resizeBilinearRgba(img, h, w, c as 1 | 3 | 4, rect), [1, h, w, c]);
}

/** A seeded random input `[1, ...shape]` in 0..1. */
export function randomInput(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform([1, ...shape], 0, 1, 'float32', seed);
}
