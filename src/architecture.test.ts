/**
 * The floors of the source tree, checked on every test run (docs/architecture.md draws them):
 *
 *   1 contract   src/contract   the design model, params schema, spatial arithmetic, the kind interface (no kind named)
 *   2 backends   src/backends   what a kind's backend rules are written against (tfjs, PyTorch, ONNX, Keras)
 *   3 kinds      src/kinds      one folder per kind, and the typed tables
 *   4 engine     src/engine     analysis, resolve, edits, advice, quick fixes, placement, blocks, groups
 *   5 drivers    src/drivers    compile (tfjs), then export, then import
 *   6 app        src/app        the store, then io, then the UI; the CLI beside the UI
 *
 * - Every import line of every file under src/ (tests too, static, re-exports, type-only and lazy `import()`) names a
 *   file on its own floor or one below; within the drivers and the app the sub-floors are ordered the same way. A
 *   wrong import fails naming both files.
 * - No files import each other in a circle, type-only imports included: the failure lists the circle.
 * - The pure floors (contract, engine, and the kinds' definitions) import no package and touch no browser or Node
 *   global; only the compile driver and the tfjs rules import tfjs, and
 *   nothing the editor's main thread loads reaches tfjs (it runs in the run worker).
 * - The store holds state and actions only: browser input/output is src/app/io.
 * - Nothing outside src/kinds compares with a kind's name or switches on one (traits say what it would ask).
 * Reads the source text itself, so a new file is checked the day it is added.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KIND_NAMES } from './engine/registry.ts';

const SRC = dirname(fileURLToPath(import.meta.url));

/**
 * The floors from the ground up: a file may import its own floor and those listed before it. Sub-floors that share
 * a number (the UI and the CLI) may not import each other.
 */
const FLOORS: readonly { dir: string; rank: number }[] = [
  { dir: 'contract', rank: 1 },
  { dir: 'backends', rank: 2 },
  { dir: 'kinds', rank: 3 },
  { dir: 'engine', rank: 4 },
  { dir: 'drivers/compile', rank: 5.1 },
  { dir: 'drivers/export', rank: 5.2 },
  { dir: 'drivers/import', rank: 5.3 },
  { dir: 'app/store', rank: 6.1 },
  { dir: 'app/io', rank: 6.2 },
  { dir: 'app/ui', rank: 6.3 },
  { dir: 'app/cli', rank: 6.3 },
  { dir: 'app', rank: 6.4 }, // src/app/main.tsx: the editor's entry, above the UI it mounts
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const rel = (f: string) => relative(SRC, f);
const isTest = (f: string) => /\.test\.tsx?$/.test(f);
// the tests of the tree itself (this one, and that the docs it cites exist) stand at src/, on no floor
const allFiles = sourceFiles(SRC).filter((f) => !['architecture.test.ts', 'docs.test.ts'].includes(rel(f)));
const files = allFiles.filter((f) => !isTest(f));

/** The floor of a file under src/: the longest floor folder that holds it. */
function floorOf(f: string): { dir: string; rank: number } | undefined {
  const r = rel(f);
  return FLOORS.filter((fl) => r.startsWith(`${fl.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0];
}

/** A file's text without its comments (block comments, and lines that are a `//` comment). */
const withoutComments = (file: string) => readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/**
 * The module specifiers a file imports: static imports and re-exports (type-only ones too), lazy `import()`s, and
 * the static ones that bring values (not `import type` / `export type`), which are what runs when the module loads.
 */
function importsOf(file: string): { static: string[]; lazy: string[]; value: string[]; worker: string[] } {
  const text = withoutComments(file);
  const stat = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gm), ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  const value = [...text.matchAll(/^\s*(?:import|export)\s(?!type\b)[^'"]*?from\s*['"]([^'"]+)['"]/gm), ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  const lazy = [...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
  // a worker's entry (`new Worker(new URL('./x.ts', import.meta.url))`): a module the file starts in another thread
  const worker = [...text.matchAll(/new\s+URL\(\s*['"](\.[^'"]+\.tsx?)['"]\s*,\s*import\.meta\.url\s*\)/g)].map((m) => m[1]);
  return { static: stat, lazy, value, worker };
}

const layer = (f: string) => rel(f).split('/')[0];
// A backend's file of a kind, or a backend's table of kinds: src/kinds/…/{tfjs,torch,onnx,keras}.ts, and the
// kind-keyed aliases of the backend contracts (src/kinds/rules.ts, types only)
const isKindBackend = (f: string) => layer(f) === 'kinds' && /\/(tfjs|torch|onnx|keras|rules)\.ts$/.test(f);
const isPure = (f: string) => ['contract', 'engine'].includes(layer(f)) || (layer(f) === 'kinds' && !isKindBackend(f));
const local = (from: string, spec: string) => (spec.startsWith('.') ? resolve(dirname(from), spec.replace(/\?.*$/, '')) : null);
const byPath = new Map(allFiles.map((f) => [f.replace(/\.tsx?$/, ''), f]));
/** The source file under src/ a relative specifier of `from` names (with or without its extension), if any. */
const fileOf = (from: string, spec: string) => {
  const t = local(from, spec);
  return t ? byPath.get(t.replace(/\.tsx?$/, '')) : undefined;
};

/**
 * The first import path from `start` (depth-first over `specsOf`, each module once) to a specifier or file where
 * `isEnd` holds, as `rel` names it, or null. Iterative: the import graph may be deep.
 */
function importPath(start: string, specsOf: (f: string) => string[], isEnd: (specOrFile: string) => boolean): string[] | null {
  const stack: [string, string[]][] = [[start, [rel(start)]]];
  const seen = new Set<string>();
  while (stack.length) {
    const [f, path] = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const spec of specsOf(f)) {
      const file = fileOf(f, spec);
      if (isEnd(file ?? spec)) return [...path, file ? rel(file) : spec];
      if (file && !seen.has(file)) stack.push([file, [...path, rel(file)]]);
    }
  }
  return null;
}

/**
 * The circles of the import graph over `nodes` (Tarjan's strongly connected components, iterative): each circle as
 * the files on it, in an order that follows its imports, or [] when there is none.
 */
export function importCircles(nodes: string[], importsOfFile: (f: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const circles: string[][] = [];
  let next = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: [string, number][] = [[root, 0]];
    index.set(root, next); low.set(root, next); next++; stack.push(root); onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1];
      const [v, i] = top;
      const out = importsOfFile(v);
      if (i < out.length) {
        top[1]++;
        const w = out[i];
        if (!index.has(w)) {
          index.set(w, next); low.set(w, next); next++; stack.push(w); onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) { const u = work[work.length - 1][0]; low.set(u, Math.min(low.get(u)!, low.get(v)!)); }
      if (low.get(v) === index.get(v)) {
        const scc: string[] = [];
        let w: string;
        do { w = stack.pop()!; onStack.delete(w); scc.push(w); } while (w !== v);
        if (scc.length > 1 || out.includes(v)) circles.push(scc.reverse());
      }
    }
  }
  return circles;
}

/** The code of a file alone: comments and string literals may name anything. */
function codeOf(f: string): string {
  return readFileSync(f, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");
}

const BROWSER_IO = ['localStorage', 'sessionStorage', 'location', 'URL', 'File', 'FileReader', 'Blob', 'fetch', 'Worker', 'window', 'document', 'navigator'];
/** The browser input/output globals a file's code uses (called, constructed or read from: `fetch(`, `new URL(`, `location.`). */
function browserIoUses(f: string): string[] {
  const text = codeOf(f);
  return BROWSER_IO.filter((g) => new RegExp(`(^|[^.\\w'"\`])${g}\\s*[.(\\[]`, 'm').test(text));
}

/** Every local import of `f` (static, type-only, lazy, and the workers it starts) as the file it names. */
const localImports = (f: string) => {
  const { static: s, lazy, worker } = importsOf(f);
  return [...new Set([...s, ...lazy, ...worker].map((spec) => fileOf(f, spec)).filter((x): x is string => !!x))];
};

/** The upward imports among `sources` (their local imports as `importsOfFile` gives them): `a imports b, a floor above it` for each. */
function upwardImports(sources: string[], importsOfFile: (f: string) => string[] = localImports): string[] {
  const problems: string[] = [];
  for (const f of sources) {
    const from = floorOf(f);
    if (!from) {
      problems.push(`${rel(f)} is on no floor (put it in one of ${FLOORS.map((x) => x.dir).join(', ')})`);
      continue;
    }
    for (const target of importsOfFile(f)) {
      const to = floorOf(target);
      if (!to) continue; // reported as a file on no floor
      const sameFolder = to.dir === from.dir;
      if (!sameFolder && to.rank >= from.rank) {
        problems.push(`${rel(f)} (${from.dir}) imports ${rel(target)} (${to.dir}), ${to.rank === from.rank ? 'a sibling floor' : 'a floor above it'}`);
      }
    }
  }
  return problems;
}

describe('the floors of src/', () => {
  it('finds the source files, each on a floor', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(floorOf(join(SRC, 'engine', 'analyze.ts'))?.dir).toBe('engine');
    expect(floorOf(join(SRC, 'app', 'main.tsx'))?.dir).toBe('app');
    expect(floorOf(join(SRC, 'app', 'ui', 'App.tsx'))?.dir).toBe('app/ui');
  });

  it('reads a worker a file starts as one of its imports (the run worker is a driver the UI starts)', () => {
    const runClient = join(SRC, 'app', 'ui', 'run', 'run-client.ts');
    expect(localImports(runClient).map(rel)).toContain('drivers/compile/worker.ts');
    expect(localImports(join(SRC, 'app', 'io', 'open-client.ts')).map(rel)).toContain('app/io/open-worker.ts');
  });

  it('no file imports from a floor above its own (tests included), and every file is on a floor', () => {
    expect(upwardImports(allFiles)).toEqual([]);
  });

  it('the floor check sees an upward import, naming both files', () => {
    const planted = (from: string[], to: string[]) => upwardImports([join(SRC, ...from)], () => [join(SRC, ...to)]);
    expect(planted(['contract', 'planted.ts'], ['engine', 'analyze.ts'])).toEqual(['contract/planted.ts (contract) imports engine/analyze.ts (engine), a floor above it']);
    expect(planted(['app', 'cli', 'planted.ts'], ['app', 'ui', 'App.tsx'])).toEqual(['app/cli/planted.ts (app/cli) imports app/ui/App.tsx (app/ui), a sibling floor']);
    expect(planted(['drivers', 'compile', 'planted.ts'], ['drivers', 'export', 'svg.ts'])).toHaveLength(1);
    expect(planted(['planted.ts'], ['engine', 'analyze.ts'])).toEqual(['planted.ts is on no floor (put it in one of contract, backends, kinds, engine, drivers/compile, drivers/export, drivers/import, app/store, app/io, app/ui, app/cli, app)']);
    // downward and within a floor are fine
    expect(planted(['engine', 'planted.ts'], ['kinds', 'registry.ts'])).toEqual([]);
    expect(planted(['app', 'ui', 'planted.ts'], ['app', 'ui', 'App.tsx'])).toEqual([]);
  });

  it('no files import each other in a circle (type-only imports included)', () => {
    const circles = importCircles(allFiles, localImports).map((c) => c.map(rel).join(' → '));
    expect(circles).toEqual([]);
  });

  it('the circle check finds a circle and names its files', () => {
    const graph: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a'], d: ['a'], e: ['e'] };
    expect(importCircles(Object.keys(graph), (f) => graph[f])).toEqual([['a', 'b', 'c'], ['e']]);
  });

  it('the store uses no browser input/output (files, storage, the address, fetch, workers): that is src/app/io', () => {
    const problems: string[] = [];
    const store = files.filter((f) => rel(f).startsWith('app/store/'));
    expect(store.some((f) => rel(f) === 'app/store/editor-store.ts')).toBe(true);
    for (const f of store) {
      for (const g of browserIoUses(f)) problems.push(`${rel(f)} uses the global ${g}`);
    }
    expect(problems).toEqual([]);
    // the check does see a use: src/app/io/design-io.ts reads the address and fetches
    expect(browserIoUses(join(SRC, 'app', 'io', 'design-io.ts'))).toEqual(expect.arrayContaining(['location', 'URL', 'fetch']));
  });

  it('the pure floors (contract, engine, the kinds\' definitions) import only pure modules, and use no browser or Node global', () => {
    const problems: string[] = [];
    for (const f of files.filter(isPure)) {
      const { static: s, lazy } = importsOf(f);
      for (const spec of [...s, ...lazy]) {
        const target = fileOf(f, spec);
        if (!local(f, spec)) problems.push(`${rel(f)} imports the package '${spec}'`);
        else if (target && !isPure(target)) problems.push(`${rel(f)} imports ${rel(target)}, which is not pure`);
      }
      for (const g of ['window', 'document', 'localStorage', 'sessionStorage', 'navigator', 'process', 'Buffer', 'require']) {
        if (new RegExp(`(^|[^.\\w'"\`])${g}\\s*[.(\\[]`, 'm').test(codeOf(f))) problems.push(`${rel(f)} uses the global ${g}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('tfjs is imported by the compile driver and the tfjs rules only (src/backends/tfjs-*.ts, the kinds\' tfjs.ts)', () => {
    const importers = files.filter((f) => [...importsOf(f).static, ...importsOf(f).lazy].some((s) => s.startsWith('@tensorflow/')));
    const allowed = (f: string) => rel(f).startsWith('drivers/compile/') || /^backends\/tfjs-[\w-]+\.ts$/.test(rel(f)) || (isKindBackend(f) && f.endsWith('tfjs.ts'));
    expect(importers.filter((f) => !allowed(f)).map(rel)).toEqual([]);
    expect(importers.length).toBeGreaterThan(0);
  });

  it('nothing the editor main thread loads reaches tfjs (it runs in the run worker)', () => {
    const problems: string[] = [];
    for (const f of files.filter((x) => /^app\/(ui|store|io)\//.test(rel(x)) && !/worker\.ts$/.test(x))) {
      // through value and lazy imports alike (a type-only import is erased: it loads nothing)
      const path = importPath(f, (m) => [...importsOf(m).value, ...importsOf(m).lazy], (s) => s.startsWith('@tensorflow/'));
      if (path) problems.push(path.join(' → '));
    }
    expect(problems).toEqual([]);
  });

  it('nothing outside src/kinds branches on a kind name (a trait of the kind, or its definition, says it)', () => {
    const names = KIND_NAMES.join('|');
    const branch = new RegExp(`(\\bkind\\s*[!=]==?\\s*['"](${names})['"]|['"](${names})['"]\\s*[!=]==?\\s*[\\w.]*\\bkind\\b|\\bcase\\s+['"](${names})['"]\\s*:|new Set\\(\\[\\s*['"](${names})['"])`);
    const problems: string[] = [];
    for (const f of files.filter((x) => layer(x) !== 'kinds')) {
      withoutComments(f).split('\n').forEach((line, i) => {
        if (branch.test(line)) problems.push(`${rel(f)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(problems).toEqual([]);
  });
});
