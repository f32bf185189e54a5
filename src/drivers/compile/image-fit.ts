/**
 * How an image of any size becomes the design's input H×W, one rule for the Run tab and `convas run --image`:
 * the source rectangle (`sourceRect`), a bilinear resize with half-pixel centres (`resizeRgba`) and the channels
 * the input takes (`rgbaToChannels`). Both paths call these functions; the browser only decodes the image.
 * Pure: no tfjs, no DOM.
 */

/** `crop` (the default) keeps the aspect ratio and cuts the longer side's ends; `stretch` scales each axis alone. */
export type ImageFit = 'crop' | 'stretch';
export const IMAGE_FITS: readonly ImageFit[] = ['crop', 'stretch'];
export const DEFAULT_IMAGE_FIT: ImageFit = 'crop';

/** A rectangle of source pixels: left `x`, top `y`, `width`, `height` (whole pixels). */
export interface SourceRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The source rectangle that is resized to the input `height`×`width`. `stretch`: the whole image. `crop`: the
 * largest centred rectangle with the input's aspect ratio (width/height), rounded to whole pixels, so a circle
 * stays a circle; for a 640×480 image and a 224×224 input it is 480×480 at x = 80.
 * Throws for sizes that are not positive.
 * @example sourceRect(640, 480, 224, 224, 'crop') // → { x: 80, y: 0, width: 480, height: 480 }
 */
export function sourceRect(imageWidth: number, imageHeight: number, height: number, width: number, fit: ImageFit): SourceRect {
  if (!(imageWidth > 0 && imageHeight > 0 && height > 0 && width > 0)) {
    throw new Error(`image and input sizes must be positive (image ${imageWidth}×${imageHeight}, input ${height}×${width})`);
  }
  if (fit === 'stretch') return { x: 0, y: 0, width: imageWidth, height: imageHeight };
  // the widest rectangle of ratio width/height that fits, compared without division
  let w = imageWidth;
  let h = imageHeight;
  if (imageWidth * height > imageHeight * width) w = Math.max(1, Math.round((imageHeight * width) / height));
  else h = Math.max(1, Math.round((imageWidth * height) / width));
  return { x: Math.floor((imageWidth - w) / 2), y: Math.floor((imageHeight - h) / 2), width: w, height: h };
}

/**
 * How the fit is said to a person: "640×480, centre-cropped to 480×480, resized to 224×224"; an image of the input's
 * own size is not resized, and says so ("224×224, the input's size").
 */
export function describeFit(imageWidth: number, imageHeight: number, height: number, width: number, fit: ImageFit): string {
  if (imageWidth === width && imageHeight === height) return `${imageWidth}×${imageHeight}, the input's size`;
  const r = sourceRect(imageWidth, imageHeight, height, width, fit);
  const cut = fit === 'crop' && (r.width !== imageWidth || r.height !== imageHeight);
  return `${imageWidth}×${imageHeight}, ${fit === 'stretch' ? 'stretched' : cut ? `centre-cropped to ${r.width}×${r.height}, resized` : 'resized'} to ${width}×${height}`;
}

/**
 * RGBA bytes of an image (`imageWidth`×`imageHeight`, row-major, 4 bytes a pixel) → `[height, width, 4]` float32
 * RGBA in 0..1: the source rectangle `rect` (the whole image by default) resized bilinearly with half-pixel
 * centres, PyTorch's `F.interpolate(mode='bilinear', align_corners=False)` without antialiasing (TensorFlow 2's
 * `tf.image.resize` and OpenCV's `INTER_LINEAR` alike): output pixel i samples source position
 * (i + ½)·in/out − ½, clamped at 0 below and to the last pixel above. A 3-pixel ramp 10 20 30 to 6 pixels gives
 * 10 12.5 17.5 22.5 27.5 30; 8 pixels to 4 average each pair. No value is rounded (the model sees the floats).
 * @example resizeRgba(rgba, 640, 480, 224, 224, sourceRect(640, 480, 224, 224, 'crop')).length // → 224·224·4
 */
export function resizeRgba(
  rgba: ArrayLike<number>, imageWidth: number, imageHeight: number, height: number, width: number,
  rect: SourceRect = { x: 0, y: 0, width: imageWidth, height: imageHeight },
): Float32Array {
  const out = new Float32Array(height * width * 4);
  const ys = taps(rect.height, height);
  const xs = taps(rect.width, width);
  const rowBytes = imageWidth * 4;
  for (let y = 0; y < height; y++) {
    const r0 = (rect.y + ys.i0[y]) * rowBytes;
    const r1 = (rect.y + ys.i1[y]) * rowBytes;
    const dy = ys.t[y];
    for (let x = 0; x < width; x++) {
      const c0 = (rect.x + xs.i0[x]) * 4;
      const c1 = (rect.x + xs.i1[x]) * 4;
      const dx = xs.t[x];
      const at = (y * width + x) * 4;
      for (let k = 0; k < 4; k++) {
        const top = rgba[r0 + c0 + k] + (rgba[r0 + c1 + k] - rgba[r0 + c0 + k]) * dx;
        const bottom = rgba[r1 + c0 + k] + (rgba[r1 + c1 + k] - rgba[r1 + c0 + k]) * dx;
        out[at + k] = (top + (bottom - top) * dy) / 255;
      }
    }
  }
  return out;
}

/** Per output index along one axis: the two source indices and the weight of the second (half-pixel centres). */
function taps(inSize: number, outSize: number): { i0: Int32Array; i1: Int32Array; t: Float64Array } {
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const t = new Float64Array(outSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    // PyTorch's area_pixel_compute_source_index (align_corners=False): negative positions clamp to 0
    const src = Math.max(0, (o + 0.5) * scale - 0.5);
    const lo = Math.min(Math.floor(src), inSize - 1);
    i0[o] = lo;
    i1[o] = Math.min(lo + 1, inSize - 1);
    t[o] = src - lo;
  }
  return { i0, i1, t };
}

/**
 * `[H, W, 4]` RGBA in 0..1 (`resizeRgba`) → the `[H, W, C]` values an input of C channels takes: C = 3 RGB,
 * 4 RGBA, 1 grey as PIL's `convert('L')` and torchvision's `Grayscale` weigh it (ITU-R 601: 0.299 R + 0.587 G +
 * 0.114 B); any other C repeats R, G, B in turn.
 */
export function rgbaToChannels(rgba: Float32Array, channels: number): Float32Array {
  const pixels = rgba.length / 4;
  const out = new Float32Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    const r = rgba[p * 4], g = rgba[p * 4 + 1], b = rgba[p * 4 + 2];
    if (channels === 1) out[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    else if (channels === 4) out.set(rgba.subarray(p * 4, p * 4 + 4), p * 4);
    else for (let c = 0; c < channels; c++) out[p * channels + c] = rgba[p * 4 + (c % 3)];
  }
  return out;
}
