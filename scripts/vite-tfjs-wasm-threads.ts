/**
 * A Vite plugin that lets tfjs's threaded SIMD wasm build start its threads from a bundled, minified app
 * (docs/run-threads.md).
 *
 * The cause of "e is not defined": tfjs-backend-wasm (4.22, dist/backend_wasm.js) hands each pthread worker its
 * main script as `new Blob(['var WasmBackendModuleThreadedSimd = ' + wasmFactoryThreadedSimd.toString()])`: the
 * source text of the Emscripten factory function, cut out of the closure it was written in. That closure declares
 * `_scriptDir`, and the factory reads it only behind `typeof _scriptDir !== "undefined"`. A minifier that sees the
 * declaration (Rolldown/Oxc here) renames it (`e`) and, knowing it declared, shortens the guard to `e !== void 0`;
 * once the function's text runs alone in the pthread worker, `e` is declared nowhere and the worker throws. The
 * plugin hands the workers Emscripten's own script instead, as the package ships it (`?raw`: text the minifier
 * never touches), which declares `WasmBackendModuleThreadedSimd` itself. It fails the build if tfjs's line is not
 * found, so an upgrade that changes it is noticed rather than silently single-threaded.
 */

import type { Plugin } from 'vite';

const TARGET = /@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]backend_wasm\.js$/;
const FACTORY_TEXT = '`var WasmBackendModuleThreadedSimd = ` +\n                    wasmFactoryThreadedSimd.toString()';
const SCRIPT = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';

/** The plugin; `vite.config.ts` and the browser benchmark's config both use it. */
export function tfjsWasmThreads(): Plugin {
  return {
    name: 'convas:tfjs-wasm-threads',
    enforce: 'pre',
    transform(code, id) {
      if (!TARGET.test(id.split('?')[0])) return null;
      if (!code.includes(FACTORY_TEXT)) {
        this.error('tfjs-backend-wasm changed how it passes its threaded script to pthread workers: review scripts/vite-tfjs-wasm-threads.ts');
      }
      return {
        code: `import __convasThreadedSimdScript from '${SCRIPT}';\n${code.replace(FACTORY_TEXT, '__convasThreadedSimdScript')}`,
        map: null,
      };
    },
  };
}
