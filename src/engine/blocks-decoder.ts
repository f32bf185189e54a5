/**
 * The palette blocks of encoder-decoders (Ronneberger, Fischer and Brox 2015, "U-Net"): an up-block (upsample ×2 or
 * a 2×2 stride-2 up-convolution, a concat with a skip from the encoder, two 3×3 convs with ReLU) and a U-Net level
 * (the down path's two convs and 2×2 max pool, the level below at twice the width, the up-convolution, the skip
 * cropped where the convs are `valid`, the concat and two convs), nested `levels` deep.
 */

import { Builder, type BlockFragment, type BlockSettings, type BlockSpec } from './block-builder.ts';

/** The up-sampling step's choices, in the words on screen. */
export const UP_MODES = ['2×2 up-conv', 'nearest ×2', 'bilinear ×2'] as const;

/** The filters of a decoder block: the setting, or half the incoming channels (U-Net's rule) when it is 0. */
const widthOf = (cin: number, s: BlockSettings) => (s.filters as number) || Math.max(1, Math.floor(cin / 2));

const conv3 = (filters: number, padding: string) => ({ filters, kernelSize: 3, padding, activation: 'relu' });

/**
 * The crop of a `valid` level's copy, each side, with `below` levels under it (1: only the bottom): the way back up
 * is smaller than the copy by what the lower resolution lost, doubled by the up-convolution. A 3×3 conv pair loses
 * 2 rows each side, so the bottom alone loses 2 (crop 4), and a level below loses its down pair's 2, its own copy's
 * crop and its up pair's 2: crop(m) = 2·(2 + crop(m − 1) + 2).
 * @example validCrop(1) // → 4; validCrop(4) // → 88 (U-Net's crops, inner to outer: 4, 16, 40, 88)
 */
export function validCrop(below: number): number {
  let crop = 4;
  for (let m = 2; m <= below; m++) crop = 2 * (2 + crop + 2);
  return crop;
}

const upBlock: BlockSpec = {
  key: 'up-block',
  title: 'Up-block (decoder)',
  doc: 'A decoder step: upsample ×2 (or a 2×2 up-convolution), concatenate the skip from the encoder (cropped to size), two 3×3 convs with ReLU. Select the deep layer and, with Ctrl, the skip layer, then click the block to wire both; else wire the skip into the concat.',
  groupKind: 'block',
  prefix: 'up',
  takesSkip: true,
  settings: {
    up: { type: 'choice', label: 'Upsampling', options: UP_MODES, default: '2×2 up-conv', help: 'a 2×2 transposed conv with stride 2 (U-Net\'s up-convolution, learned, to the filters) or a resize ×2 (no params, keeps the channels)' },
    filters: { type: 'int', label: 'Filters', min: 0, max: 4096, default: 0, help: 'the convs\' (and the up-conv\'s) filters; 0: half the incoming channels, as U-Net halves them' },
    padding: { type: 'choice', label: 'Padding', options: ['same', 'valid'], default: 'same', help: '"same" keeps H×W; "valid" (U-Net\'s) loses a pixel each side per conv' },
  },
  outChannels: widthOf,
  build(cin, s, _copy, outer) {
    const f = widthOf(cin, s);
    const b = new Builder('up');
    const mode = s.up as (typeof UP_MODES)[number];
    const up = mode === '2×2 up-conv'
      ? b.node('upconv', 'conv2dTranspose', { filters: f, kernelSize: 2, strides: 2, padding: 'valid' }, 0, 0)
      : b.node('upsample', 'upsample2d', { size: 2, interpolation: mode === 'nearest ×2' ? 'nearest' : 'bilinear' }, 0, 0);
    // the skip is cropped to the upsampled map where its chosen layer is larger by an even number of pixels
    const upH = outer?.input && outer.input.length === 3 ? [outer.input[0] * 2, outer.input[1] * 2] : null;
    const skip = outer?.skip && outer.skip.length === 3 ? outer.skip : null;
    const crop = upH && skip ? [(skip[0] - upH[0]) / 2, (skip[1] - upH[1]) / 2] : null;
    const cropped = crop && crop.every((c) => Number.isInteger(c) && c >= 0) && crop.some((c) => c > 0)
      ? b.node('crop', 'cropping2d', { cropping: crop[0] === crop[1] ? crop[0] : crop }, 1, 0) : null;
    const cat = b.node('concat', 'concat', {}, 0.5, 1);
    if (cropped) b.edge(cropped, cat, 0);
    b.edge(up, cat, 1);
    const c1 = b.node('conv1', 'conv2d', conv3(f, s.padding as string), 0.5, 2);
    const c2 = b.node('conv2', 'conv2d', conv3(f, s.padding as string), 0.5, 3);
    b.chain(cat, c1, c2);
    return { nodes: b.nodes, edges: b.edges, entries: [{ node: up }], skip: cropped ? { node: cropped } : { node: cat, port: 0 }, exit: c2 };
  },
};

const unetLevel: BlockSpec = {
  key: 'unet-level',
  title: 'U-Net level',
  doc: 'Two 3×3 convs, a 2×2 max pool, the level below at twice the width, a 2×2 up-convolution back, the convs\' map copied across (cropped when valid) and concatenated, two 3×3 convs. Levels nest: 4 levels and the bottom make Ronneberger et al.\'s U-Net.',
  groupKind: 'block',
  prefix: 'unet',
  settings: {
    filters: { type: 'int', label: 'Filters', min: 1, max: 4096, default: 64, help: 'the outer level\'s convs; each level below doubles them (U-Net: 64 … 1024)' },
    levels: { type: 'int', label: 'Levels', min: 1, max: 5, default: 1, help: 'levels nested inside each other, the bottom\'s two convs below the last' },
    padding: { type: 'choice', label: 'Padding', options: ['same', 'valid'], default: 'same', help: '"same" keeps H×W (no crop); "valid" (U-Net\'s) loses a pixel each side per conv, so the copy is cropped' },
  },
  outChannels: (_cin, s) => s.filters as number,
  build(_cin, s) {
    const b = new Builder('unet');
    const levels = s.levels as number;
    const pad = s.padding as string;
    const width = (l: number) => (s.filters as number) * 2 ** (l - 1);
    const downs: string[] = [];
    let first = '';
    let last = '';
    for (let l = 1; l <= levels; l++) {
      const r = 3 * (l - 1);
      const c1 = b.node(`down${l}_conv1`, 'conv2d', conv3(width(l), pad), l - 1, r);
      const c2 = b.node(`down${l}_conv2`, 'conv2d', conv3(width(l), pad), l - 1, r + 1);
      const pool = b.node(`pool${l}`, 'maxPool2d', { poolSize: 2, strides: 2, padding: 'valid' }, l - 1, r + 2);
      if (last) b.edge(last, c1);
      else first = c1;
      b.chain(c1, c2, pool);
      downs.push(c2);
      last = pool;
    }
    const bottom1 = b.node('bottom_conv1', 'conv2d', conv3(width(levels + 1), pad), levels, 3 * levels);
    const bottom2 = b.node('bottom_conv2', 'conv2d', conv3(width(levels + 1), pad), levels, 3 * levels + 1);
    b.edge(last, bottom1);
    b.edge(bottom1, bottom2);
    last = bottom2;
    for (let l = levels; l >= 1; l--) {
      const r = 3 * levels + 2 + 4 * (levels - l);
      const up = b.node(`up${l}`, 'conv2dTranspose', { filters: width(l), kernelSize: 2, strides: 2, padding: 'valid' }, l, r);
      b.edge(last, up);
      // valid convs: the copy is larger than the way back up by what the levels below lost
      const crop = pad === 'valid' ? validCrop(levels - l + 1) : 0;
      const skip = crop > 0 ? b.node(`crop${l}`, 'cropping2d', { cropping: crop }, l - 1, r) : downs[l - 1];
      if (crop > 0) b.edge(downs[l - 1], skip);
      const cat = b.node(`concat${l}`, 'concat', {}, l - 0.5, r + 1);
      b.edge(skip, cat, 0);
      b.edge(up, cat, 1);
      const c1 = b.node(`up${l}_conv1`, 'conv2d', conv3(width(l), pad), l - 0.5, r + 2);
      const c2 = b.node(`up${l}_conv2`, 'conv2d', conv3(width(l), pad), l - 0.5, r + 3);
      b.chain(cat, c1, c2);
      last = c2;
    }
    const f: BlockFragment = { nodes: b.nodes, edges: b.edges, entries: [{ node: first }], exit: last };
    return f;
  },
};

export const DECODER_BLOCKS: BlockSpec[] = [upBlock, unetLevel];
