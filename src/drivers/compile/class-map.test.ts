// The class map against tfjs's own argMax (an independent implementation of the same rule), ties included.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { argmaxPerPixel, classCounts, isClassScores } from './class-map.ts';
import { tf } from './index.ts';
import { setupNodeBackend } from './node-backend.ts';

beforeAll(async () => {
  await setupNodeBackend('cpu');
});

describe('class map', () => {
  it('equals tf.argMax over the last axis, ties to the lower index, on generated [H, W, classes] scores', () => {
    const scores = fc.record({ h: fc.integer({ min: 1, max: 6 }), w: fc.integer({ min: 1, max: 6 }), c: fc.integer({ min: 2, max: 9 }) })
      // small integers, so that ties are common
      .chain(({ h, w, c }) => fc.tuple(fc.constant([h, w, c] as const), fc.array(fc.integer({ min: -3, max: 3 }), { minLength: h * w * c, maxLength: h * w * c })));
    fc.assert(fc.property(scores, ([[h, w, c], values]) => {
      const expected = tf.tidy(() => tf.argMax(tf.tensor3d(values, [h, w, c]), -1).dataSync());
      expect(Array.from(argmaxPerPixel(Float32Array.from(values), h * w, c))).toEqual(Array.from(expected));
    }), { numRuns: 200 });
  });

  it('counts every pixel once, by class', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }).chain((c) => fc.tuple(fc.constant(c), fc.array(fc.integer({ min: 0, max: c - 1 })))), ([c, map]) => {
      const counts = classCounts(Int32Array.from(map), c);
      expect(counts).toHaveLength(c);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(map.length);
      counts.forEach((n, k) => expect(n).toBe(map.filter((x) => x === k).length));
    }));
  });

  it('reads [H, W, classes ≥ 2] as class scores, and nothing else', () => {
    expect(isClassScores([224, 224, 21])).toBe(true);
    expect(isClassScores([388, 388, 2])).toBe(true);
    expect(isClassScores([28, 28, 1])).toBe(false);
    expect(isClassScores([1000])).toBe(false);
  });
});
