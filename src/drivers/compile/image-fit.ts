/**
 * How an image of any size becomes the design's input H×W, one rule for the Run tab (canvas drawImage) and
 * `convas run --image` (tfjs crop and resize). Pure: no tfjs, no DOM.
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

/** How the fit is said to a person: "640×480, centre-cropped to 480×480, resized to 224×224". */
export function describeFit(imageWidth: number, imageHeight: number, height: number, width: number, fit: ImageFit): string {
  const r = sourceRect(imageWidth, imageHeight, height, width, fit);
  const cut = fit === 'crop' && (r.width !== imageWidth || r.height !== imageHeight);
  return `${imageWidth}×${imageHeight}, ${fit === 'stretch' ? 'stretched' : cut ? `centre-cropped to ${r.width}×${r.height}, resized` : 'resized'} to ${width}×${height}`;
}
