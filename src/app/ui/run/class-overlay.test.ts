// The class map's colours against the PASCAL VOC devkit's published table, and its placement on the input against
// U-Net's paper (572 → 388, copy and crop by (572 − 388)/2 = 92) and hand-worked strided windows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, type Design } from '../../../engine/index.ts';
import { DesignBuilder } from '../../../../test/fixtures/build.ts';
import { classColour, placeClassMap } from './class-overlay.ts';

function outputPlacement(design: Design, id: string) {
  const a = analyze(design);
  const out = a.nodes.find((n) => n.id === id)!;
  const input = a.nodes.find((n) => n.kind === 'input')!;
  const [h, w] = out.outputShape!;
  const [inH, inW] = input.outputShape!;
  return placeClassMap(out.receptiveField, h, w, inH, inW);
}

describe('class map colours', () => {
  it('are the VOC colour map (VOCdevkit labelcolormap: background, aeroplane, bicycle, bird, …, person, …, tv/monitor)', () => {
    const voc: Record<number, [number, number, number]> = {
      0: [0, 0, 0], 1: [128, 0, 0], 2: [0, 128, 0], 3: [128, 128, 0], 4: [0, 0, 128], 5: [128, 0, 128], 7: [128, 128, 128],
      8: [64, 0, 0], 12: [64, 0, 128], 15: [192, 128, 128], 16: [0, 64, 0], 20: [0, 64, 128], 255: [224, 224, 192],
    };
    for (const [k, rgb] of Object.entries(voc)) expect(classColour(Number(k)), `class ${k}`).toEqual(rgb);
  });

  it('differ for every class of a 1000-class output', () => {
    const seen = new Set(Array.from({ length: 1000 }, (_, k) => classColour(k).join(',')));
    expect(seen.size).toBe(1000);
  });
});

describe('class map placement', () => {
  it("puts U-Net's 388×388 output at (572 − 388)/2 = 92 on its 572×572 input, one unit a pixel", () => {
    const p = outputPlacement(JSON.parse(readFileSync('presets/unet.convas.json', 'utf8')) as Design, 'head');
    expect(p).toEqual({ start: [92, 92], extent: [388, 388], centre0: [92, 92], how: 'field' });
  });

  it('covers the input where the output is its size (LR-ASPP upsamples back to 224×224)', () => {
    const p = outputPlacement(JSON.parse(readFileSync('presets/lraspp-mobilenet-v3-large.convas.json', 'utf8')) as Design, 'upsample');
    expect(p).toEqual({ start: [0, 0], extent: [224, 224], centre0: [0, 0], how: 'covers' });
  });

  it('centres strided units on their windows: a valid 3×3, stride-2 conv on 9×11 has unit 0 at pixel 1 and spans 2 pixels a unit', () => {
    const b = new DesignBuilder();
    b.input([9, 11, 3]);
    const conv = b.add('conv2d', { filters: 4, kernelSize: 3, strides: 2, padding: 'valid' });
    // outputs 4×5; unit u sees pixels 2u … 2u + 2, centred on 2u + 1: the map runs from 0.5 to 0.5 + 2·units
    expect(outputPlacement(b.design(), conv)).toEqual({ start: [0.5, 0.5], extent: [8, 10], centre0: [1, 1], how: 'field' });
  });

  it('stretches a map it cannot place by a field over the input', () => {
    expect(placeClassMap(null, 4, 4, 8, 8)).toMatchObject({ start: [0, 0], extent: [8, 8], how: 'stretched' });
  });
});
