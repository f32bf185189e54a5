import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { middleEllipsis, shortName } from './names.ts';

describe('middleEllipsis', () => {
  it('keeps the distinguishing end of long layer names', () => {
    expect(middleEllipsis('features.denseblock1.denselayer12.conv2', 30)).toBe('features.…denselayer12.conv2');
    expect(middleEllipsis('features.denseblock1.denselayer12.conv2', 20)).toBe('…denselayer12.conv2');
    expect(middleEllipsis('inception.branch3x3_reduce', 20)).toBe('…branch3x3_reduce');
    expect(middleEllipsis('inception3a.branch2.1.conv', 20)).toBe('incep…branch2.1.conv');
    expect(middleEllipsis('inception3a.branch2.1.conv', 30)).toBe('inception3a.branch2.1.conv');
  });

  it('never exceeds its room, keeps short names whole, and names that differ at the end stay different (property)', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 80 }), fc.integer({ min: 8, max: 60 }), (s, max) => {
      const r = middleEllipsis(s, max);
      expect(r.length).toBeLessThanOrEqual(Math.max(max, s.length <= max ? s.length : max));
      if (s.length <= max) expect(r).toBe(s);
      else expect(s.endsWith(r.slice(r.indexOf('…') + 1))).toBe(true);
    }));
    const a = middleEllipsis('features.denseblock3.denselayer23.norm1', 20);
    const b = middleEllipsis('features.denseblock3.denselayer24.norm1', 20);
    expect(a).not.toBe(b);
  });
});

describe('shortName', () => {
  it('keeps the numbered parts: the block as well as the layer', () => {
    const n = 'features.denseblock3.denselayer12.conv1';
    expect(shortName(n, 40)).toBe(n);
    expect(shortName(n, 31)).toBe('…denseblock3.denselayer12.conv1');
    expect(shortName(n, 26)).toBe('…block3.denselayer12.conv1');
    expect(shortName(n, 22)).toBe('…block3.…layer12.conv1');
    expect(shortName(n, 18)).toBe('…3.…layer12.conv1');
    expect(shortName('inception3a.branch2.1.conv', 20)).toBe('…3a.branch2.1.conv');
    expect(shortName('Mixed_6b.branch7x7dbl_3.conv', 23)).toBe('…6b.branch7x7dbl_3.conv');
  });

  it('never exceeds its room, keeps short names whole, and DenseNet-121 names in other blocks stay apart (property)', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 80 }), fc.integer({ min: 8, max: 60 }), (s, max) => {
      const r = shortName(s, max);
      expect(r.length).toBeLessThanOrEqual(Math.max(max, s.length <= max ? s.length : max));
      if (s.length <= max) expect(r).toBe(s);
    }));
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 24 }), fc.integer({ min: 18, max: 44 }), (b1, b2, layer, max) => {
      const name = (b: number) => `features.denseblock${b}.denselayer${layer}.conv2`;
      if (b1 !== b2) expect(shortName(name(b1), max)).not.toBe(shortName(name(b2), max));
    }));
  });
});
