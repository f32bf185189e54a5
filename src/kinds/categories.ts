/**
 * The categories of layer kinds: one table of each one's palette label and colour, the one source of both. The
 * editor's stylesheet reads the colours (src/app/ui/category-colours.ts writes `--cat-<category>` and `.cat-<category>`
 * from it at start) and so does the SVG/PNG picture (src/drivers/export/svg.ts: each box's left edge); the palette
 * shows a section per category that has a kind, in this table's order.
 */

import type { Category } from '../contract/index.ts';
import { LAYER_KINDS } from './registry.ts';

export interface CategoryStyle {
  /** the palette section's heading */
  label: string;
  /** a CSS colour: a node's left border, its palette swatch, its bar in the statistics */
  colour: string;
}

export const CATEGORIES: { [C in Category]: CategoryStyle } = {
  input: { label: 'Input', colour: '#5b6b82' },
  convolution: { label: 'Convolution', colour: '#2f6fde' },
  pooling: { label: 'Pooling', colour: '#0f9488' },
  // upsampling, transposed convolution, cropping (issue 21)
  resampling: { label: 'Resampling', colour: '#c2418c' },
  dense: { label: 'Dense and flatten', colour: '#8a4fd8' },
  normalization: { label: 'Normalization and activation', colour: '#d48a0b' },
  // squeeze-and-excitation, multiply, scale (issue 20)
  gate: { label: 'Gates and scaling', colour: '#a0522d' },
  // add and concat, and what routes channels between branches: channel slice (a split is the inverse of a concat)
  // and channel shuffle (ShuffleNet's, after its concat) (issue 20)
  merge: { label: 'Merge and split', colour: '#2e9a4e' },
};

export interface PaletteItem {
  key: string;
  kind: string;
  title: string;
  doc: string;
  category: Category;
  params?: Record<string, unknown>;
  /** the id its layers start from, where it is not the kind's name (the 1×1 Conv entry: `conv1x1`) */
  idBase?: string;
}

export interface PaletteSection {
  category: Category;
  label: string;
  items: PaletteItem[];
}

/** The palette: a section per category in `CATEGORIES`'s order, each kind then its variants; no empty section. */
export const PALETTE: PaletteSection[] = (Object.keys(CATEGORIES) as Category[]).map((category) => {
  const items: PaletteItem[] = [];
  for (const k of LAYER_KINDS) {
    if (k.category !== category) continue;
    items.push({ key: k.kind, kind: k.kind, title: k.title, doc: k.doc, category });
    for (const v of k.paletteVariants ?? []) {
      items.push({ key: v.key, kind: k.kind, title: v.title, doc: v.doc, category, params: v.params, idBase: v.idBase });
    }
  }
  return { category, label: CATEGORIES[category].label, items };
}).filter((section) => section.items.length > 0);

