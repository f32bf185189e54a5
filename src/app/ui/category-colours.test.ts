import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../kinds/categories.ts';
import { categoryCss, installCategoryColours } from './category-colours.ts';

interface FakeElement { tagName: string; dataset: Record<string, string>; textContent: string }

/**
 * The part of a document `installCategoryColours` touches (the tests run without a DOM): `createElement` and a head
 * that already holds app.css's stylesheet, as the bundle puts it there.
 */
function pageWithAppCss() {
  const appCss: FakeElement = { tagName: 'STYLE', dataset: {}, textContent: '.cat-unknown { --cat: var(--cat-unknown); }' };
  const head = {
    children: [appCss] as FakeElement[],
    prepend(...added: FakeElement[]) { this.children.unshift(...added); },
    append(...added: FakeElement[]) { this.children.push(...added); },
  };
  const doc = { head, createElement: (tag: string): FakeElement => ({ tagName: tag.toUpperCase(), dataset: {}, textContent: '' }) };
  return { doc: doc as unknown as Document, head, appCss };
}

describe('category colours in the stylesheet', () => {
  it('writes each category\'s colour from the table, and the class that paints with it', () => {
    const css = categoryCss();
    for (const [c, { colour }] of Object.entries(CATEGORIES)) {
      expect(css).toContain(`--cat-${c}: ${colour};`);
      expect(css).toContain(`.cat-${c} { --cat: var(--cat-${c}); }`);
    }
  });

  it("goes in as the head's first stylesheet, before app.css's: a rule of app.css that ties with one still wins, as when app.css held them at its top", () => {
    const { doc, head, appCss } = pageWithAppCss();
    installCategoryColours(doc);
    expect(head.children).toHaveLength(2);
    expect(head.children[0]).toEqual({ tagName: 'STYLE', dataset: { source: 'src/kinds/categories.ts' }, textContent: categoryCss() });
    expect(head.children[1]).toBe(appCss);
  });
});
