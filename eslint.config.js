// ESLint (flat config), run first by `npm test` (`npm run lint`).
// - typescript-eslint's recommended rules (syntax only, no type information: fast, and `tsc` already types),
// - React's rules of hooks (eslint-plugin-react-hooks: rules-of-hooks, exhaustive-deps),
// - the layering that src/architecture.test.ts checks, said where the import is written:
//   the pure core (src/core and src/kinds but the backend files tfjs.ts, torch.ts, onnx.ts, keras.ts) imports no
//   package and no other layer of Convas and touches no browser or Node global; tfjs is imported only by
//   src/compile and the kinds' tfjs.ts rules. (The test also walks the import graph: the editor's main thread never
//   reaches tfjs; a lint rule sees one file at a time, so that walk stays in the test.)
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
  message: 'tfjs is imported by src/compile and the kinds\' tfjs.ts rules only (it runs in the run worker).',
};
/** The same, for `import('…')`, which no-restricted-imports does not see. */
const lazyImport = (pattern, message) => ({ selector: `ImportExpression[source.value=${pattern}]`, message });
const lazyTfjs = lazyImport('/^@tensorflow\\//', tfjsOnlyInCompile.message);

const PURE = 'the pure core (src/core, src/kinds but tfjs.ts/torch.ts/onnx.ts/keras.ts)';
// One pattern per kind of import, disjoint, so that an import is reported once, with the reason that fits.
const NODE = `node:|(${builtinModules.join('|')})(/|$)`;
const NAMED = `react(-dom)?(/|$)|@tensorflow/|${NODE}|zustand(/|$)|@xyflow/`;
const pureImports = [
  { regex: '^react(-dom)?(/|$)', message: `${PURE} imports no React.` },
  { regex: '^@tensorflow/', message: tfjsOnlyInCompile.message },
  { regex: `^(${NODE})`, message: `${PURE} imports nothing from Node.` },
  { regex: '^(zustand(/|$)|@xyflow/)', message: `${PURE} imports no store or UI library.` },
  { regex: `^(?!\\.|${NAMED})`, message: `${PURE} imports only other pure modules, no package.` },
  { regex: '^(\\.\\./)+(app|drivers|backends)(/|\\.|$)', message: `${PURE} imports no other layer of Convas.` },
  { regex: '^\\.\\.?/(.*/)?(tfjs|torch|onnx|keras)(\\.ts)?$', message: `${PURE} imports no backend rule of a kind.` },
];
const pureGlobals = ['window', 'document', 'localStorage', 'sessionStorage', 'navigator', 'process', 'Buffer', 'require']
  .map((name) => ({ name, message: `${PURE} uses no browser or Node global.` }));

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
  // React lives in the editor (src/ui, the store's React context, src/main.tsx) only; elsewhere a function named
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
  // tfjs: src/compile and the kinds' tfjs.ts rules only
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/drivers/compile/**', 'src/backends/tfjs-*.ts', 'src/kinds/**/tfjs.ts', ...TESTS],
    rules: {
      'no-restricted-imports': ['error', { patterns: [tfjsOnlyInCompile] }],
      'no-restricted-syntax': ['error', lazyTfjs],
    },
  },
  // the pure core
  {
    files: ['src/contract/**/*.{ts,tsx}', 'src/engine/**/*.{ts,tsx}', 'src/kinds/**/*.{ts,tsx}'],
    ignores: [...KIND_BACKENDS, 'src/kinds/rules.ts', ...TESTS],
    rules: {
      'no-restricted-imports': ['error', { patterns: pureImports }],
      'no-restricted-syntax': ['error', lazyImport('/^[^.]/', `${PURE} imports only other pure modules, no package.`)],
      'no-restricted-globals': ['error', ...pureGlobals],
    },
  },
);
