// ESLint (flat config), run first by `npm test` (`npm run lint`).
// - typescript-eslint's recommended rules (syntax only, no type information: fast, and `tsc` already types),
// - React's rules of hooks (eslint-plugin-react-hooks: rules-of-hooks, exhaustive-deps),
// - the floors that src/architecture.test.ts checks (docs/architecture.md), said where the import is written:
//   each floor imports only its own floor and those below it (contract < backends < kinds < engine < drivers:
//   compile < export < import < app: store < io < ui, cli); the pure floors (src/contract, src/engine, the kinds'
//   definitions) import no package and touch no browser or Node global; tfjs is imported only by the compile driver
//   and the tfjs rules (src/backends/tfjs-*.ts, src/kinds/**/tfjs.ts). A lint rule sees one file at a time, so the
//   graph walks (import circles, the editor's main thread never reaching tfjs) stay in the test.
// A disable comment must name a rule that would fire there (`reportUnusedDisableDirectives`), so none is stale.

import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS = ['**/*.ts', '**/*.tsx'];
const REACT = ['src/app/ui/**/*.ts', 'src/app/ui/**/*.tsx', 'src/app/store/**/*.ts', 'src/app/store/**/*.tsx', 'src/app/main.tsx'];
const TESTS = ['**/*.test.ts', '**/*.test.tsx', 'test/**'];
const KIND_BACKENDS = ['src/kinds/**/tfjs.ts', 'src/kinds/**/torch.ts', 'src/kinds/**/onnx.ts', 'src/kinds/**/keras.ts'];

const tfjsOnlyInCompile = {
  group: ['@tensorflow/*'],
  message: 'tfjs is imported by src/drivers/compile and the tfjs rules (src/backends/tfjs-*.ts, src/kinds/**/tfjs.ts) only (it runs in the run worker).',
};
/** The same, for `import('…')`, which no-restricted-imports does not see. */
const lazyImport = (pattern, message) => ({ selector: `ImportExpression[source.value=${pattern}]`, message });
const lazyTfjs = lazyImport('/^@tensorflow\\//', tfjsOnlyInCompile.message);

const PURE = 'a pure floor (src/contract, src/engine, src/kinds but the backend rules tfjs.ts/torch.ts/onnx.ts/keras.ts/rules.ts)';
// One pattern per kind of import, disjoint, so that an import is reported once, with the reason that fits.
const NODE = `node:|(${builtinModules.join('|')})(/|$)`;
const NAMED = `react(-dom)?(/|$)|@tensorflow/|${NODE}|zustand(/|$)|@xyflow/`;
const pureImports = [
  { regex: '^react(-dom)?(/|$)', message: `${PURE} imports no React.` },
  { regex: '^@tensorflow/', message: tfjsOnlyInCompile.message },
  { regex: `^(${NODE})`, message: `${PURE} imports nothing from Node.` },
  { regex: '^(zustand(/|$)|@xyflow/)', message: `${PURE} imports no store or UI library.` },
  { regex: `^(?!\\.|${NAMED})`, message: `${PURE} imports only other pure modules, no package.` },
  { regex: '^\\.\\.?/(.*/)?(tfjs|torch|onnx|keras|rules)(\\.ts)?$', message: `${PURE} imports no backend rule of a kind.` },
  { regex: '^(\\.\\./)+backends(/|$)', message: `${PURE} imports no backend contract (src/backends).` },
];
const pureGlobals = ['window', 'document', 'localStorage', 'sessionStorage', 'navigator', 'process', 'Buffer', 'require']
  .map((name) => ({ name, message: `${PURE} uses no browser or Node global.` }));

/**
 * The floors, from the ground up (docs/architecture.md): a file imports only its own floor and those below. `above`
 * are the folder names a relative import may not reach from here (`../../engine/…` from a kind is fine, `../app/…`
 * from the engine is not); `pure` and `tfjs` say what else the floor may import.
 */
const TOP = ['contract', 'backends', 'kinds', 'engine', 'drivers', 'app'];
const FLOOR_GROUPS = [
  { name: 'src/contract', files: ['src/contract/**'], above: TOP.slice(1), pure: true },
  { name: 'src/backends', files: ['src/backends/**'], tfjsFiles: ['src/backends/tfjs-*.ts'], above: TOP.slice(2) },
  { name: 'src/kinds', files: ['src/kinds/**'], tfjsFiles: ['src/kinds/**/tfjs.ts'], impure: [...KIND_BACKENDS, 'src/kinds/rules.ts'], above: TOP.slice(3), pure: true },
  { name: 'src/engine', files: ['src/engine/**'], above: TOP.slice(4), pure: true },
  { name: 'src/drivers/compile', files: ['src/drivers/compile/**'], tfjsFiles: ['src/drivers/compile/**'], above: ['app', 'export', 'import'] },
  { name: 'src/drivers/export', files: ['src/drivers/export/**'], above: ['app', 'import'] },
  { name: 'src/drivers/import', files: ['src/drivers/import/**'], above: ['app'] },
  { name: 'src/app/store', files: ['src/app/store/**'], above: ['io', 'ui', 'cli', 'main'] },
  { name: 'src/app/io', files: ['src/app/io/**'], above: ['ui', 'cli', 'main'] },
  { name: 'src/app/ui', files: ['src/app/ui/**'], above: ['cli', 'main'] },
  { name: 'src/app/cli', files: ['src/app/cli/**'], above: ['ui', 'main'] },
];
const floorPattern = (g) => ({
  regex: `^(\\.\\./)+(${g.above.join('|')})(/|\\.|$)`,
  message: `${g.name} imports only its own floor and the floors below it (${g.above.join(', ')} are above or beside it: docs/architecture.md).`,
});
const AND_TESTS = (globs) => globs.map((glob) => [glob, '{**/*.test.ts,**/*.test.tsx}']);

/**
 * One config object per group of files, each giving the whole `no-restricted-imports` list for its files (a later
 * object replaces an earlier one's list, it does not add to it): the floor, then the pure rules or the tfjs rule
 * where they apply; tests keep to their floor only (they may use vitest, Node and fast-check).
 */
function floorConfigs() {
  const out = [];
  const restrict = (files, patterns, extra = {}) => ({
    files,
    ...extra,
    rules: { 'no-restricted-imports': ['error', { patterns }], ...(extra.rules ?? {}) },
  });
  for (const g of FLOOR_GROUPS) {
    const floor = floorPattern(g);
    // the floor's files, tfjs barred unless the floor runs it
    out.push({ ...restrict(g.files, [floor, tfjsOnlyInCompile]), ignores: TESTS, rules: { ...restrict(g.files, [floor, tfjsOnlyInCompile]).rules, 'no-restricted-syntax': ['error', lazyTfjs] } });
    if (g.pure) {
      const pure = restrict(g.files, [floor, ...pureImports]);
      out.push({
        ...pure,
        ignores: [...(g.impure ?? []), ...TESTS],
        rules: {
          ...pure.rules,
          'no-restricted-syntax': ['error', lazyImport('/^[^.]/', `${PURE} imports only other pure modules, no package.`)],
          'no-restricted-globals': ['error', ...pureGlobals],
        },
      });
    }
    if (g.tfjsFiles) out.push({ ...restrict(g.tfjsFiles, [floor]), ignores: TESTS, rules: { ...restrict(g.tfjsFiles, [floor]).rules, 'no-restricted-syntax': 'off' } });
    out.push(restrict(AND_TESTS(g.files), [floor]));
  }
  return out;
}

export default defineConfig(
  {
    // what .gitignore leaves out (builds, reports, scratch), and the static files
    ignores: ['dist/', 'dist-*/', 'test-results/', 'playwright-report/', 'e2e/.screenshots/', '.gl/', '.whl/', 'tmp/', 'public/', 'docs/'],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    files: TS,
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // `tsc` resolves names (and knows the DOM and Node types); no-undef would only repeat it, worse.
      'no-undef': 'off',
      // a leading _ marks a name that must be there but is not read: a dropped key of a rest destructuring
      // (`const { [id]: _drop, ...rest } = map`), an argument tfjs passes to an overridden method
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // React lives in the editor (src/app/ui, the store's React context, src/app/main.tsx) only; elsewhere a function named
  // use… is no hook (the run worker's useBackend picks a tfjs backend).
  // The rules of hooks, both as errors (a hook that misses a dependency shows stale numbers). The plugin's v7
  // `recommended` adds the React Compiler's rules (refs, set-state-in-effect, static-components…): they compile
  // every component, which doubled the time of a lint (15 s against 8 s on 2 cores), for a compiler Convas does
  // not use, so they are left out.
  {
    files: REACT,
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  ...floorConfigs(),
);
