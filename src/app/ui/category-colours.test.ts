import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../kinds/categories.ts';
import { categoryCss } from './category-colours.ts';

describe('category colours in the stylesheet', () => {
  it('writes each category\'s colour from the table, and the class that paints with it', () => {
    const css = categoryCss();
    for (const [c, { colour }] of Object.entries(CATEGORIES)) {
      expect(css).toContain(`--cat-${c}: ${colour};`);
      expect(css).toContain(`.cat-${c} { --cat: var(--cat-${c}); }`);
    }
  });
});
