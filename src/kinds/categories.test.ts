import { describe, expect, it } from 'vitest';
import { CATEGORIES, PALETTE } from './categories.ts';
import { LAYER_KINDS } from './registry.ts';

describe('categories and the palette', () => {
  it('gives every category its own colour', () => {
    const colours = Object.values(CATEGORIES).map((c) => c.colour.toLowerCase());
    expect(new Set(colours).size).toBe(colours.length);
  });

  it('shows each kind once, under its category, in the table\'s order, and no section without a kind', () => {
    const order = Object.keys(CATEGORIES);
    expect(PALETTE.map((s) => s.category)).toEqual(order.filter((c) => LAYER_KINDS.some((k) => k.category === c)));
    for (const s of PALETTE) {
      expect(s.items.length, s.category).toBeGreaterThan(0);
      expect(s.label).toBe(CATEGORIES[s.category].label);
    }
    const kinds = PALETTE.flatMap((s) => s.items.filter((i) => i.key === i.kind).map((i) => [i.kind, s.category]));
    expect(kinds).toHaveLength(LAYER_KINDS.length);
    for (const k of LAYER_KINDS) expect(kinds).toContainEqual([k.kind, k.category]);
  });
});
