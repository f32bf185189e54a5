/**
 * The layering of the source tree, checked on every test run (README "How it is built"):
 * - the pure core is `src/core` and the pure half of each kind (`src/kinds/**` but the backend files `tfjs.ts`,
 *   `torch.ts`, `onnx.ts`, `keras.ts`): it imports only other pure modules (no React, no tfjs, no Node, no
 *   other layer of Convas) and touches no browser global;
 * - only `src/compile` and the kinds' `tfjs.ts` files import tfjs, and nothing the editor's main thread loads
 *   (`src/ui`, `src/store`, `src/io`, and every module they reach by static or lazy import) reaches tfjs: tfjs
 *   runs in the run worker only;
 * - the store (`src/store`) holds state and actions only: browser input/output (files, storage, the address,
 *   fetch, workers) lives in `src/io`, so no store module uses those browser globals.
 * - the kinds' definitions do not reach the table of kinds by a value import (a module cycle).
 * - nothing outside `src/kinds` compares with a kind's name or switches on one (traits say what it would ask).
 * Reads the import statements of every source file (`import … from`, `export … from`, `import(…)`), so a new
 * file is checked the day it is added.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KIND_NAMES } from './core/registry.ts';

const SRC = dirname(fileURLToPath(import.meta.url));
const isTest = (f: string) => /\.test\.tsx?$/.test(f) || f.includes(`${join('src', 'core', 'testing')}`) || f.includes('/testing/');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** A file's text without its comments (block comments, and lines that are a `//` comment). */
const withoutComments = (file: string) => readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/**
 * The module specifiers a file imports: static imports and re-exports, lazy `import()`s, and the static ones that
 * bring values (not `import type` / `export type`), which are what runs when the module loads.
 */
function importsOf(file: string): { static: string[]; lazy: string[]; value: string[] } {
  const text = withoutComments(file);
  const stat = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gm), ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  const value = [...text.matchAll(/^\s*(?:import|export)\s(?!type\b)[^'"]*?from\s*['"]([^'"]+)['"]/gm), ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  const lazy = [...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
  return { static: stat, lazy, value };
}

const files = sourceFiles(SRC).filter((f) => !isTest(f));
const rel = (f: string) => relative(SRC, f);
const layer = (f: string) => rel(f).split('/')[0];
// A backend's file of a kind, or a backend's table of kinds: src/kinds/…/{tfjs,torch,onnx,keras}.ts
const isKindBackend = (f: string) => layer(f) === 'kinds' && /\/(tfjs|torch|onnx|keras)\.ts$/.test(f);
const isPure = (f: string) => layer(f) === 'core' || (layer(f) === 'kinds' && !isKindBackend(f));
const local = (from: string, spec: string) => (spec.startsWith('.') ? resolve(dirname(from), spec.replace(/\?.*$/, '')) : null);
const byPath = new Map(files.map((f) => [f.replace(/\.tsx?$/, ''), f]));
/** The source file a relative specifier of `from` names (with or without its extension), if it is one of ours. */
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

describe('layering of src/', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => rel(f) === 'core/analyze.ts')).toBe(true);
  });

  it('the store uses no browser input/output (files, storage, the address, fetch, workers): that is src/io', () => {
    const problems: string[] = [];
    const store = files.filter((f) => layer(f) === 'store');
    expect(store.some((f) => rel(f) === 'store/editor-store.ts')).toBe(true);
    for (const f of store) {
      for (const g of browserIoUses(f)) problems.push(`${rel(f)} uses the global ${g}`);
    }
    expect(problems).toEqual([]);
    // the check does see a use: src/io/design-io.ts reads the address and fetches
    expect(browserIoUses(join(SRC, 'io', 'design-io.ts'))).toEqual(expect.arrayContaining(['location', 'URL', 'fetch']));
  });

  it('the pure core (src/core and the kinds\' definitions) imports only itself, and uses no browser or Node global', () => {
    const problems: string[] = [];
    for (const f of files.filter(isPure)) {
      const { static: s, lazy } = importsOf(f);
      for (const spec of [...s, ...lazy]) {
        const target = local(f, spec);
        if (!target) problems.push(`${rel(f)} imports the package '${spec}'`);
        else if (!isPure(target.endsWith('.ts') || target.endsWith('.tsx') ? target : `${target}.ts`)) problems.push(`${rel(f)} imports ${rel(target)}, outside the pure core`);
      }
      // the code alone: comments and string literals may name anything
      const text = readFileSync(f, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
        .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");
      for (const g of ['window', 'document', 'localStorage', 'sessionStorage', 'navigator', 'process', 'Buffer', 'require']) {
        if (new RegExp(`(^|[^.\\w'"\`])${g}\\s*[.(\\[]`, 'm').test(text)) problems.push(`${rel(f)} uses the global ${g}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('tfjs is imported by src/compile and the kinds\' tfjs rules only', () => {
    const importers = files.filter((f) => [...importsOf(f).static, ...importsOf(f).lazy].some((s) => s.startsWith('@tensorflow/')));
    expect(importers.filter((f) => layer(f) !== 'compile' && !(isKindBackend(f) && f.endsWith('tfjs.ts'))).map(rel)).toEqual([]);
    expect(importers.length).toBeGreaterThan(0);
  });

  it('nothing the editor main thread loads reaches tfjs (it runs in the run worker)', () => {
    const problems: string[] = [];
    for (const f of files.filter((x) => ['ui', 'store', 'io'].includes(layer(x)) && !/worker\.ts$/.test(x))) {
      // through static and lazy imports alike
      const path = importPath(f, (m) => [...importsOf(m).static, ...importsOf(m).lazy], (s) => s.startsWith('@tensorflow/'));
      if (path) problems.push(path.join(' → '));
    }
    expect(problems).toEqual([]);
  });

  it("the kinds' definitions do not reach the table of kinds by a value import (a module cycle would leave values undefined)", () => {
    // registry → kinds → … → registry: whichever module loads first sees the others half-initialised (a kind's
    // params spec read an undefined activation list once, through format.ts → memory.ts → registry.ts)
    const tables = new Set(['core/registry.ts', 'kinds/registry.ts', 'core/index.ts']);
    const problems: string[] = [];
    for (const start of files.filter((f) => layer(f) === 'kinds' && isPure(f) && !tables.has(rel(f)))) {
      const path = importPath(start, (m) => importsOf(m).value, (f) => tables.has(rel(f)));
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
