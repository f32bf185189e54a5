/**
 * The category colours in the editor's stylesheet, written from the one table (src/kinds/categories.ts) rather than
 * kept in app.css: a custom property `--cat-<category>` per category on `:root`, and a class `.cat-<category>` that
 * sets `--cat`, which node borders, palette swatches and statistic bars paint with (app.css reads `var(--cat)`).
 */

import { CATEGORIES } from '../../kinds/categories.ts';

/** The rules, one category a line: `:root { --cat-input: #5b6b82; … }` then `.cat-input { --cat: var(--cat-input); }`… */
export function categoryCss(): string {
  const entries = Object.entries(CATEGORIES);
  return [
    `:root { ${entries.map(([c, s]) => `--cat-${c}: ${s.colour};`).join(' ')} }`,
    ...entries.map(([c]) => `.cat-${c} { --cat: var(--cat-${c}); }`),
  ].join('\n');
}

/**
 * Adds the rules to `doc` as the first stylesheet of its head, where app.css had them at its top: a rule of app.css
 * that ties with one of them (same specificity) still wins, as before. Call once, before the first render.
 */
export function installCategoryColours(doc: Document): void {
  const style = doc.createElement('style');
  style.dataset.source = 'src/kinds/categories.ts';
  style.textContent = categoryCss();
  doc.head.prepend(style);
}
