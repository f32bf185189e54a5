/**
 * PNG pictures in Node (`convas export --to png`): the SVG of `toSvg` rasterized with resvg (`@resvg/resvg-js`,
 * a prebuilt native binary per platform). Node only; the command line imports it lazily so that other commands
 * do not load the binary. Text is drawn with the system's fonts (DejaVu Sans by default, as the SVG asks).
 */

import { createRequire } from 'node:module';

/** Slides want more than one pixel per SVG unit. */
export const DEFAULT_SCALE = 2;
/** No side of the PNG exceeds this (image viewers and browsers refuse larger ones); the scale shrinks to fit. */
export const MAX_SIDE = 16384;

export interface PngOptions {
  /** pixels per SVG unit (default 2); reduced when a side would exceed `maxSide` */
  scale?: number;
  /** the largest width or height in pixels (default 16384) */
  maxSide?: number;
}

export interface PngPicture {
  png: Uint8Array;
  /** the PNG's size in pixels */
  width: number;
  height: number;
  /** the SVG's own size */
  svgWidth: number;
  svgHeight: number;
  /** the scale used, and the one asked for (they differ when the picture had to shrink to fit `maxSide`) */
  scale: number;
  requestedScale: number;
}

/** resvg cannot be loaded: no prebuilt binary for this platform, or a broken install. */
export class PngUnavailableError extends Error {}

type Resvg = typeof import('@resvg/resvg-js');
let resvg: Resvg | undefined;

function loadResvg(): Resvg {
  if (resvg) return resvg;
  try {
    // require, not import: the package is CommonJS and throws at load when its platform binary is missing.
    resvg = createRequire(import.meta.url)('@resvg/resvg-js') as Resvg;
    return resvg;
  } catch (e) {
    const why = String((e as Error)?.message ?? e).split('\n')[0];
    throw new PngUnavailableError(
      `PNG export needs @resvg/resvg-js, which cannot load on ${process.platform}-${process.arch} (${why}); `
      + 'run npm install again so its prebuilt binary is fetched, or export --to svg instead',
    );
  }
}

/**
 * The largest scale ≤ `scale` at which neither side of a `width`×`height` picture exceeds `maxSide` pixels
 * (resvg rounds sizes up).
 */
export function fitScale(width: number, height: number, scale: number, maxSide = MAX_SIDE): number {
  const side = Math.max(width, height);
  if (Math.ceil(side * scale) <= maxSide) return scale;
  let s = Math.floor((maxSide / side) * 1e6) / 1e6;
  while (s > 0 && Math.ceil(side * s) > maxSide) s -= 1e-6;
  return s;
}

/** Rasterizes `svg` at `scale` pixels per unit (shrunk to fit `maxSide`); the PNG and its sizes. */
export function renderPng(svg: string, opts: PngOptions = {}): PngPicture {
  const requestedScale = opts.scale ?? DEFAULT_SCALE;
  if (!(requestedScale > 0) || !Number.isFinite(requestedScale)) throw new RangeError(`scale must be a positive number (got ${requestedScale})`);
  const { Resvg } = loadResvg();
  // The size first, without fonts (milliseconds); shaping the text is the slow part and happens once, below.
  const measured = new Resvg(svg, { font: { loadSystemFonts: false }, logLevel: 'off' });
  const svgWidth = measured.width;
  const svgHeight = measured.height;
  const scale = fitScale(svgWidth, svgHeight, requestedScale, opts.maxSide ?? MAX_SIDE);
  const image = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    logLevel: 'off',
  }).render();
  const png = image.asPng();
  return {
    png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength),
    width: image.width, height: image.height, svgWidth, svgHeight, scale, requestedScale,
  };
}

/** The PNG bytes of `svg` at `scale` (default 2, shrunk so that no side exceeds 16384 px). */
export function svgToPng(svg: string, opts: PngOptions = {}): Uint8Array {
  return renderPng(svg, opts).png;
}
