/** Palette sections and category colours: one table, so a reader learns the colours once. */

import type { Category } from '../contract/index.ts';
import { LAYER_KINDS } from './registry.ts';

export const CATEGORY_LABELS: Record<Category, string> = {
  input: 'Input',
  convolution: 'Convolution',
  pooling: 'Pooling',
  dense: 'Dense and flatten',
  normalization: 'Normalization and activation',
  merge: 'Merge',
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

export const PALETTE: PaletteSection[] = (Object.keys(CATEGORY_LABELS) as Category[]).map((category) => {
  const items: PaletteItem[] = [];
  for (const k of LAYER_KINDS) {
    if (k.category !== category) continue;
    items.push({ key: k.kind, kind: k.kind, title: k.title, doc: k.doc, category });
    for (const v of k.paletteVariants ?? []) {
      items.push({ key: v.key, kind: k.kind, title: v.title, doc: v.doc, category, params: v.params, idBase: v.idBase });
    }
  }
  return { category, label: CATEGORY_LABELS[category], items };
});

export const PALETTE_MIME = 'application/x-convas-layer';
