import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topK, valueStats } from './output-stats.ts';

describe('output stats', () => {
  it('min, max and mean agree with a sort and a sum', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const s = valueStats(Float32Array.from(xs));
      const f = Float32Array.from(xs);
      expect(s.min === Math.fround(sorted[0])).toBe(true); // == (−0 and 0 are one value here)
      expect(s.max === Math.fround(sorted[sorted.length - 1])).toBe(true);
      expect(s.mean).toBeCloseTo(f.reduce((a, b) => a + b, 0) / f.length, 6);
    }));
    expect(valueStats([]).mean).toBeNaN();
  });

  it('top-k is the k largest, largest first, ties to the lower index', () => {
    expect(topK([0.1, 0.7, 0.2, 0.7], 3)).toEqual([[1, 0.7], [3, 0.7], [2, 0.2]]);
    expect(topK([5], 5)).toEqual([[0, 5]]);
  });
});
