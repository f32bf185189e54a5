import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeFit, sourceRect } from './image-fit.ts';

describe('sourceRect: centre-crop or stretch', () => {
  it('crops a landscape photo to the centred square a square input needs', () => {
    // 640×480 → square: keep 480 columns, drop 80 on each side (torchvision CenterCrop(480) gives the same box)
    expect(sourceRect(640, 480, 224, 224, 'crop')).toEqual({ x: 80, y: 0, width: 480, height: 480 });
    expect(sourceRect(480, 640, 224, 224, 'crop')).toEqual({ x: 0, y: 80, width: 480, height: 480 });
    expect(sourceRect(640, 480, 224, 224, 'stretch')).toEqual({ x: 0, y: 0, width: 640, height: 480 });
  });

  it('keeps an image of the input aspect whole, and crops for a wide input', () => {
    expect(sourceRect(448, 448, 224, 224, 'crop')).toEqual({ x: 0, y: 0, width: 448, height: 448 });
    // a 32×64 (H×W) input from a 100×100 image: the full width, the middle 50 rows
    expect(sourceRect(100, 100, 32, 64, 'crop')).toEqual({ x: 0, y: 25, width: 100, height: 50 });
  });

  it('always lies inside the image, is centred, and has the input aspect within a pixel', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 512 }), fc.integer({ min: 1, max: 512 }), (iw, ih, h, w) => {
      const r = sourceRect(iw, ih, h, w, 'crop');
      expect(r.x).toBeGreaterThanOrEqual(0);
      expect(r.y).toBeGreaterThanOrEqual(0);
      expect(r.x + r.width).toBeLessThanOrEqual(iw);
      expect(r.y + r.height).toBeLessThanOrEqual(ih);
      expect(r.width === iw || r.height === ih).toBe(true);
      expect(Math.abs(iw - r.width - 2 * r.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(ih - r.height - 2 * r.y)).toBeLessThanOrEqual(1);
      // aspect within rounding: |r.w·h − r.h·w| ≤ max(h, w)/2 (one pixel of the rounded side)
      if (r.width > 1 && r.height > 1) expect(Math.abs(r.width * h - r.height * w)).toBeLessThanOrEqual(Math.max(h, w) / 2 + 1e-9);
    }), { numRuns: 500 });
  });

  it('says what was done', () => {
    expect(describeFit(640, 480, 224, 224, 'crop')).toBe('640×480, centre-cropped to 480×480, resized to 224×224');
    expect(describeFit(640, 480, 224, 224, 'stretch')).toBe('640×480, stretched to 224×224');
    expect(describeFit(448, 448, 224, 224, 'crop')).toBe('448×448, resized to 224×224');
    // an image already of the input's size is not resized, whatever the fit
    expect(describeFit(224, 224, 224, 224, 'crop')).toBe("224×224, the input's size");
    expect(describeFit(224, 224, 224, 224, 'stretch')).toBe("224×224, the input's size");
    expect(() => sourceRect(0, 10, 224, 224, 'crop')).toThrow('must be positive');
  });
});

describe('convas run --image: the same rule on tfjs tensors', () => {
  // 40×20 (W×H): columns 0–9 red, 10–29 green, 30–39 blue. A square input centre-crops to columns 10–29: all green.
  const img = { width: 40, height: 20, data: new Uint8Array(40 * 20 * 4) };
  for (let y = 0; y < 20; y++) {
    for (let x = 0; x < 40; x++) {
      const o = (y * 40 + x) * 4;
      img.data[o + (x < 10 ? 0 : x < 30 ? 1 : 2)] = 255;
      img.data[o + 3] = 255;
    }
  }

  it('crop keeps only the centre square; stretch keeps all three stripes', async () => {
    const { imageToInput } = await import('./node-image.ts');
    const crop = imageToInput(img, [8, 8, 3]);
    const c = Array.from(await crop.data());
    expect(crop.shape).toEqual([1, 8, 8, 3]);
    for (let p = 0; p < 64; p++) expect([c[p * 3], c[p * 3 + 1], c[p * 3 + 2]]).toEqual([0, 1, 0]);
    const stretch = Array.from(await imageToInput(img, [8, 8, 3], 'stretch').data());
    // the first column of the stretched 8×8 is red, the last blue
    expect(stretch.slice(0, 3)).toEqual([1, 0, 0]);
    expect(stretch.slice(7 * 3, 7 * 3 + 3)).toEqual([0, 0, 1]);
  });
});
