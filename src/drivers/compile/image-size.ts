/**
 * An image's size from its header, before decoding: browser-safe (the Run tab checks a file with it, `convas run
 * --image` too), no tfjs, no Node.
 */

/**
 * Largest image a run decodes: 50 megapixels (an 8000×6000 photo). Decoding takes 4 bytes a pixel (plus the
 * PNG's inflated rows), so this keeps a run's image under about 0.5 GB; a 16,000×16,000 PNG (256 MP, under
 * 1 MB on disk) used to take 12.8 GB and crash.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;

export const isPng = (b: Uint8Array) => b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
export const isJpeg = (b: Uint8Array) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/**
 * Width and height from a PNG's IHDR chunk or a JPEG's start-of-frame marker, read before decoding anything;
 * null when the header cannot be found.
 */
export function imageSize(b: Uint8Array): { width: number; height: number } | null {
  const u16 = (i: number) => (b[i] << 8) | b[i + 1];
  const u32 = (i: number) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
  if (isPng(b)) {
    // signature (8), IHDR length (4), "IHDR" (4), width (4), height (4)
    if (b.length < 24 || String.fromCharCode(b[12], b[13], b[14], b[15]) !== 'IHDR') return null;
    return { width: u32(16), height: u32(20) };
  }
  if (isJpeg(b)) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1];
      if (marker === 0xff) { i++; continue; } // fill byte
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; } // no length
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): length (2), precision (1), height (2), width (2)
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: u16(i + 7), height: u16(i + 5) };
      }
      i += 2 + u16(i + 2);
    }
  }
  return null;
}


/**
 * Why an image of this size is refused, or null when it fits under `maxPixels`.
 * @example imageTooLarge({ width: 16000, height: 16000 }) // → 'the image is 16000×16000 (256.0 megapixels), above …'
 */
export function imageTooLarge(size: { width: number; height: number }, maxPixels = MAX_IMAGE_PIXELS): string | null {
  if (size.width * size.height <= maxPixels) return null;
  return `the image is ${size.width}×${size.height} (${(size.width * size.height / 1e6).toFixed(1)} megapixels), above the `
    + `${maxPixels / 1e6}-megapixel limit; scale it down first`;
}
