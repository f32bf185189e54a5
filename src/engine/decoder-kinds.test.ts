/**
 * `upsample2d` and `cropping2d` in the analysis (docs/design-format.md#layer-kinds, docs/receptive-field.md): shapes,
 * counts and errors worked by hand; their receptive-field steps against the contract's rules written out per unit;
 * how fractional strides and windows of several sizes are printed; advice rule 5 on a decoder. The fields
 * themselves are measured in PyTorch in receptive-field.decoder.oracle.test.ts.
 */

import { describe, expect, it } from 'vitest';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import { formatRfSize, formatStride, formatStridePair, rfSizesByPosition } from '../contract/format.ts';
import type { RfPhasedStep } from '../contract/layer-kind.ts';
import { adviseDetailed } from './advice.ts';
import { analyze } from './analyze.ts';
import { getLayerKind } from './registry.ts';
import { validateParams } from '../contract/params.ts';

const node = (a: ReturnType<typeof analyze>, id: string) => a.nodes.find((n) => n.id === id)!;

/** The kind's step for `params` on an 8×8×3 input. */
function step(kind: string, params: Record<string, unknown>) {
  const k = getLayerKind(kind)!;
  const { params: p } = validateParams(k.params, params);
  return k.receptiveField({ params: p!, inputs: [[8, 8, 3]], output: [16, 16, 3] });
}

describe('upsample2d', () => {
  it('multiplies H and W by integer factors, keeps C, and counts 0 params and 0 MACs', () => {
    const b = new DesignBuilder('up');
    b.input([7, 5, 3]);
    b.add('upsample2d', {}, 'in', 'two');
    b.add('upsample2d', { size: [3, 1], interpolation: 'bilinear' }, 'in', 'mixed');
    const a = analyze(b.design());
    expect([node(a, 'two').outputShape, node(a, 'mixed').outputShape]).toEqual([[14, 10, 3], [21, 5, 3]]);
    expect(a.totals).toMatchObject({ params: 0, macs: 0 });
  });

  it('refuses a flat input and an unknown interpolation', () => {
    const b = new DesignBuilder('bad');
    b.input([4, 4, 2]);
    b.add('globalAvgPool', {}, 'in', 'gap');
    b.add('upsample2d', {}, 'gap', 'flat');
    b.add('upsample2d', { interpolation: 'bicubic' }, 'in', 'cubic');
    const errors = analyze(b.design()).errors.map((e) => [e.nodeId, e.message]);
    expect(errors.find(([id]) => id === 'flat')?.[1]).toMatch(/needs an image-shaped input/);
    expect(errors.find(([id]) => id === 'cubic')?.[1]).toMatch(/^Interpolation must be one of nearest, ?bilinear/);
  });

  it('steps by the contract\'s rules: nearest reads ⌊i/u⌋, bilinear ⌊(2i + 1 − u)/(2u)⌋ and the next unit unless its weight is 0', () => {
    // written out unit by unit from PyTorch's align_corners=False source (i + ½)/u − ½, over two periods
    const byUnit = (u: number, bilinear: boolean) => Array.from({ length: 2 * u }, (_, i) => {
      const src = (i + 0.5) / u - 0.5;
      const lo = Math.floor(src);
      return bilinear ? [lo, src === lo ? lo : lo + 1] : [Math.floor(i / u), Math.floor(i / u)];
    });
    for (const u of [1, 2, 3, 4, 5]) {
      for (const interpolation of ['nearest', 'bilinear']) {
        const s = step('upsample2d', { size: u, interpolation }) as RfPhasedStep;
        const axis = s.phases[0];
        const got = Array.from({ length: 2 * u }, (_, i) => {
          const q = Math.floor(i / axis.period);
          const w = axis.windows[i - q * axis.period];
          return [w[0] + q * axis.advance, w[1] + q * axis.advance];
        });
        expect(got, `${interpolation} ×${u}`).toEqual(byUnit(u, interpolation === 'bilinear'));
      }
    }
    expect((step('upsample2d', { size: 3, interpolation: 'bilinear' }) as RfPhasedStep).phases[0].windows).toEqual([[-1, 0], [0, 0], [0, 1]]);
  });

  it('DeepLab\'s image pooling: the pooled 1×1 upsampled to H×W has no field, the concat with the map is global', () => {
    const b = new DesignBuilder('aspp');
    b.input([12, 12, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, 'in', 'c');
    b.add('globalAvgPool', { keepDims: true }, 'c', 'pool');
    b.add('conv2d', { filters: 4, kernelSize: 1 }, 'pool', 'proj');
    b.add('upsample2d', { size: 12, interpolation: 'bilinear' }, 'proj', 'up');
    b.add('concat', {}, ['c', 'up'], 'cat');
    b.add('conv2d', { filters: 2, kernelSize: 3, padding: 'same' }, 'cat', 'head');
    const a = analyze(b.design());
    expect(node(a, 'up').outputShape).toEqual([12, 12, 4]);
    expect(node(a, 'up').receptiveField).toBeNull();
    expect(node(a, 'cat').receptiveField).toEqual({ size: [3, 3], stride: [1, 1], padding: [1, 1], global: true });
    expect(node(a, 'head').receptiveField).toEqual({ size: [5, 5], stride: [1, 1], padding: [2, 2], global: true });
    // rule 5 (coverage) does not fire on a field with global: its units already depend on every pixel
    expect(adviseDetailed(b.design(), a).filter((d) => d.rule === 'receptive-field-coverage')).toEqual([]);
  });
});

describe('cropping2d', () => {
  it('drops c rows and columns from each side and moves the field by c without widening it', () => {
    const b = new DesignBuilder('crop');
    b.input([10, 9, 2]);
    b.add('conv2d', { filters: 2, kernelSize: 3 }, 'in', 'c');
    b.add('cropping2d', { cropping: [1, 2] }, 'c', 'crop');
    const a = analyze(b.design());
    expect(node(a, 'crop').outputShape).toEqual([6, 3, 2]);
    expect(node(a, 'crop').params).toBe(0);
    // output unit i is conv unit i + c, which sees pixels i + c … i + c + 2
    expect(node(a, 'crop').receptiveField).toEqual({ size: [3, 3], stride: [1, 1], padding: [-1, -2] });
  });

  it('refuses a crop that leaves nothing, in words', () => {
    const b = new DesignBuilder('crop');
    b.input([4, 6, 2]);
    b.add('cropping2d', { cropping: 2 }, 'in', 'crop');
    expect(analyze(b.design()).errors.map((e) => e.message)).toEqual(['cropping 2 from each side leaves nothing of its 4×6 input']);
  });
});

describe('fractional strides and windows by position, as printed', () => {
  it('prints a stride as a whole number, a fraction glyph or a short decimal, never 16 digits', () => {
    expect([32, 0.5, 1 / 3, 2 / 3, 0.125, 1.5, 4 / 3, 2 / 11, 0.1].map(formatStride)).toEqual(['32', '½', '⅓', '⅔', '⅛', '1½', '1⅓', '0.182', '⅒']);
    expect([formatStridePair([0.5, 0.5]), formatStridePair([0.5, 1 / 3]), formatStridePair([2, 2])]).toEqual(['½', '½×⅓', '2']);
  });

  it('says when units see windows of different sizes, and shows a fractional stride beside the size', () => {
    const b = new DesignBuilder('dec');
    b.input([16, 16, 1]);
    b.add('conv2d', { filters: 1, kernelSize: 3, padding: 1 }, 'in', 'c1');
    b.add('upsample2d', {}, 'c1', 'up');
    b.add('conv2d', { filters: 1, kernelSize: 3, padding: 1 }, 'up', 'c2');
    b.add('upsample2d', { size: [3, 2], interpolation: 'bilinear' }, 'in', 'bil');
    const a = analyze(b.design());
    // the example of docs/receptive-field.md#how-it-is-reported: every window 4 pixels
    expect(rfSizesByPosition(node(a, 'c2').receptiveField!)).toBeNull();
    expect(formatRfSize(node(a, 'c2'))).toBe('4×4 /½');
    expect(rfSizesByPosition(node(a, 'bil').receptiveField!)).toBe('rows 1 or 2, columns 2 input pixels, by position');
    expect(formatRfSize(node(a, 'bil'))).toBe('2×2 /⅓×½');
    expect(formatRfSize(node(a, 'c1'))).toBe('3×3');
  });

  it('rule 5 reads the largest window behind an upsampling, in whole pixels', () => {
    const b = new DesignBuilder('small field');
    b.input([16, 16, 1]);
    b.add('conv2d', { filters: 1, kernelSize: 3, padding: 1 }, 'in', 'c1');
    b.add('upsample2d', {}, 'c1', 'up');
    b.add('conv2d', { filters: 1, kernelSize: 3, padding: 1 }, 'up', 'c2');
    const a = analyze(b.design());
    const [coverage] = adviseDetailed(b.design(), a).filter((d) => d.rule === 'receptive-field-coverage');
    expect(coverage.nodeId).toBe('c2');
    expect(coverage.lesson).toContain('sees only 4×4 pixels of the 16×16 input');
  });
});
