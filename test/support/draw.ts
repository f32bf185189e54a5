/**
 * The kinds' `Draw` (src/kinds/example.ts) backed by fast-check: inside a property over `fc.gen()`, every draw is
 * one generated value, so a failing design is replayed from the seed and shrunk draw by draw.
 */

import fc from 'fast-check';
import type { Draw } from '../../src/kinds/example.ts';

/**
 * A `Draw` whose every call draws from `g`. The builders passed to `g` are fast-check's own functions with plain
 * arguments (never a fresh closure), so `fc.gen()`'s cache finds the same arbitrary for the same call when it
 * replays a shrunk run.
 */
export function drawFrom(g: fc.GeneratorValue): Draw {
  return {
    int: (min, max) => g(fc.integer, { min, max }),
    bool: () => g(fc.boolean),
    pick: <T>(options: readonly T[]): T => g(fc.constantFrom<T[]>, ...options),
  };
}
