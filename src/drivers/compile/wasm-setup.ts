/**
 * How tfjs's wasm backend is set up in a browser (the run worker and the browser benchmark): the binaries served
 * by the app itself (Vite emits them as assets, no CDN), and the threaded SIMD build where the page may use it.
 *
 * tfjs picks the threaded build when `SharedArrayBuffer` can be posted, which a browser allows only on a
 * cross-origin isolated page (served with `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`; docs/run-threads.md); elsewhere it takes the single-threaded SIMD
 * build. Its thread pool has one thread per logical core (`navigator.hardwareConcurrency`). The pthread workers'
 * script is fixed at build time by scripts/vite-tfjs-wasm-threads.ts.
 */

import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { WasmThreads, WasmThreadsReport } from './protocol.ts';

/**
 * Points tfjs at the app's wasm binaries; with `single`, keeps it off the threaded build even where the page is
 * isolated (to compare the two). Call before the wasm backend first starts: tfjs reads both once, at its start.
 */
export function setUpWasm(threads: WasmThreads = 'auto'): void {
  if (threads === 'single') tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  else if (typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 1) setThreadsCount(navigator.hardwareConcurrency);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  });
}

/**
 * Starts the wasm backend (`start` is the `tf.setBackend('wasm')` call) with one thread per logical core.
 * tfjs's C++ side (src/cc/backend.cc, 4.22) caps its thread pool at `navigator.hardwareConcurrency / 2`,
 * assuming two hardware threads per core: on a 2-core machine that is one thread, the threaded build for
 * nothing. While the backend starts (its wasm module's static constructors read the count once), the worker's
 * `navigator.hardwareConcurrency` reads twice the real count, so the cap becomes the logical cores and
 * `setThreadsCount` (above) picks them all; the real value is restored at once.
 */
export async function startWasm<T>(start: () => Promise<T>): Promise<T> {
  const nav = typeof navigator !== 'undefined' ? navigator : null;
  const real = nav?.hardwareConcurrency ?? 1;
  if (!nav || real <= 1) return start();
  Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * real, configurable: true });
  try {
    return await start();
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/** What the wasm backend runs on now (call once it has started): isolation, threads, SIMD, what was asked. */
export async function wasmThreadsReport(asked: WasmThreads): Promise<WasmThreadsReport> {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const running = tf.getBackend() === 'wasm';
  return {
    asked,
    isolated,
    threads: running ? getThreadsCount() : 0,
    threadedBuild: running && (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true,
    simd: running && (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true,
    cores: typeof navigator !== 'undefined' ? navigator.hardwareConcurrency ?? 1 : 1,
  };
}
