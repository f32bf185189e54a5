/**
 * What the wasm backend ran on, in words, beside a run's or a profile's backend: its threads, or why it has one
 * (the page is not cross-origin isolated: the browser allows no SharedArrayBuffer, so tfjs falls back to the
 * single-threaded SIMD build; docs/run-threads.md).
 */

import type { WasmThreadsReport } from '../../../drivers/compile/protocol.ts';

/** "2 threads, SIMD"; "1 thread, SIMD: this page is not cross-origin isolated, …"; "1 thread, as asked". */
export function wasmThreadsText(w: WasmThreadsReport): string {
  const build = w.simd ? ', SIMD' : '';
  const threads = `${w.threads} thread${w.threads === 1 ? '' : 's'}${build}`;
  if (w.threads > 1) return threads;
  if (w.asked === 'single') return `${threads}, as asked`;
  if (!w.isolated) return `${threads}: this page is not cross-origin isolated, so the browser allows no wasm threads (fell back to the single-threaded build)`;
  if (!w.threadedBuild) return `${threads}: this browser offers no wasm threads here (fell back to the single-threaded build)`;
  return w.cores <= 1 ? `${threads} (this browser reports one core)` : threads;
}

export function WasmNote({ wasm }: { wasm: WasmThreadsReport | undefined }) {
  if (!wasm) return null;
  const fellBack = wasm.threads <= 1 && wasm.asked === 'auto' && !wasm.isolated;
  return <span className={fellBack ? 'run-stale' : undefined} data-testid="wasm-threads"> ({wasmThreadsText(wasm)})</span>;
}
