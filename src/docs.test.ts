/**
 * The docs the code cites exist: every `docs/<page>.md#<anchor>` named in a comment or a string of the source, the
 * tests, the scripts and the presets, and every relative link between the pages of docs/ and the README, names a
 * page that is there and a heading of it. The code points at docs/ for the rules it follows (the design file, the
 * analysis, receptive fields, advice, memory), so a renamed heading must not leave it pointing nowhere.
 * Anchors are GitHub's: the heading in lower case, punctuation but `-` and `_` dropped, spaces as `-`.
 */

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOCS = join(ROOT, 'docs');

function filesUnder(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, ext));
    else if (ext.test(name)) out.push(path);
  }
  return out;
}

/** GitHub's anchor of a heading: `## Windows that depend on the unit's position` → `windows-that-depend-on-the-units-position`. */
export function headingAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

const anchorsOf = new Map<string, Set<string>>();
/** The anchors of a page of docs/ (its headings', and explicit `<a id="…">`s), or null when there is no such page. */
function anchors(page: string): Set<string> | null {
  const path = join(DOCS, page);
  if (!existsSync(path)) return null;
  if (!anchorsOf.has(page)) {
    const text = readFileSync(path, 'utf8').replace(/```[\s\S]*?```/g, '');
    const set = new Set<string>();
    for (const m of text.matchAll(/^#{1,6}\s+(.+)$/gm)) set.add(headingAnchor(m[1]));
    for (const m of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) set.add(m[1]);
    anchorsOf.set(page, set);
  }
  return anchorsOf.get(page)!;
}

/** What is wrong with a citation of `page#anchor` (anchor optional), or null. */
function problem(page: string, anchor: string | undefined): string | null {
  const a = anchors(page);
  if (!a) return `docs/${page} does not exist`;
  if (anchor && !a.has(anchor)) return `docs/${page} has no heading #${anchor}`;
  return null;
}

describe('the docs the code cites', () => {
  it('GitHub anchors: lower case, punctuation dropped, spaces as hyphens', () => {
    expect(headingAnchor("Windows that depend on the unit's position")).toBe('windows-that-depend-on-the-units-position');
    expect(headingAnchor('What `summary --json` prints')).toBe('what-summary---json-prints');
    expect(headingAnchor('MACs')).toBe('macs');
  });

  it('every docs/<page>.md#<anchor> in the source, tests, scripts and presets names a page and a heading that exist', () => {
    const sources = ['src', 'test', 'e2e', 'presets', 'scripts', 'bench'].flatMap((d) => filesUnder(join(ROOT, d), /\.(tsx?|js|py|css)$/));
    const problems: string[] = [];
    let cited = 0;
    for (const f of sources) {
      if (f === fileURLToPath(import.meta.url)) continue;
      for (const m of readFileSync(f, 'utf8').matchAll(/docs\/([\w-]+\.md)(?:#([\w-]+))?/g)) {
        cited++;
        const p = problem(m[1], m[2]);
        if (p) problems.push(`${relative(ROOT, f)}: ${m[0]}: ${p}`);
      }
    }
    expect(problems).toEqual([]);
    expect(cited).toBeGreaterThan(40);
  });

  it('no source cites the outside contract by its section (a reader of the repo cannot open it): docs/ says it', () => {
    const sources = ['src', 'test', 'e2e', 'presets', 'scripts', 'bench'].flatMap((d) => filesUnder(join(ROOT, d), /\.(tsx?|js|py|css)$/));
    const cites = sources.filter((f) => f !== fileURLToPath(import.meta.url))
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').flatMap((line, i) => (/contract('s)? §\s*\d/.test(line) ? [`${relative(ROOT, f)}:${i + 1}`] : [])));
    expect(cites).toEqual([]);
  });

  it('every relative link between the docs pages and from the README names a page and a heading that exist', () => {
    const pages = [join(ROOT, 'README.md'), ...filesUnder(DOCS, /\.md$/)];
    const problems: string[] = [];
    for (const f of pages) {
      const text = readFileSync(f, 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const m of text.matchAll(/\]\(((?:docs\/)?[\w-]+\.md)?(?:#([\w-]+))?\)/g)) {
        if (!m[1] && !m[2]) continue;
        const page = m[1] ? m[1].replace(/^docs\//, '') : relative(DOCS, f);
        if (m[1] && f.endsWith('README.md') && !m[1].startsWith('docs/')) continue; // a link to a file beside the README
        const p = problem(page, m[2]);
        if (p) problems.push(`${relative(ROOT, f)}: ${m[0]}: ${p}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
