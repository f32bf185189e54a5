/** The compute budget of a run and its expected time: browser-safe, no tfjs (the Run tab shows it too). */

/**
 * Default compute budget of one forward pass: 200 GMACs (multiply-accumulates, the analysis' count), about 15 s
 * on the wasm backend and 9 minutes on the cpu backend (`MACS_PER_SECOND`). A design above it is refused before
 * compiling, with its expected time; the command line raises it with `--max-gmacs`.
 */
export const DEFAULT_MAC_BUDGET = 200e9;

/**
 * Measured forward-pass speed per backend, in MACs a second, for the expected time of a run: wasm (XNNPACK,
 * SIMD, one thread) runs ResNet-50's 4.09 GMACs in 0.31 s in Node and in Chromium (BENCHMARKS.md): about
 * 13 GMAC/s; the cpu backend is about 35× slower. Large first layers with few channels run slower (two 3×3
 * convs on 1024×1024 took 13 s for 40 GMACs: 3 GMAC/s), so treat the time as a lower bound.
 */
export const MACS_PER_SECOND: Record<string, number> = { wasm: 13e9, cpu: 0.37e9, webgl: 1.4e9, webgpu: 13e9 };

/** `123.4 s`, `2.1 minutes`, `3.0 hours`: an expected time in words. */
export function formatSeconds(s: number): string {
  if (s < 90) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  if (s < 5400) return `${(s / 60).toFixed(1)} minutes`;
  return `${(s / 3600).toFixed(1)} hours`;
}

/** The expected time of one forward pass of `macs` on `backend` (see `MACS_PER_SECOND`), in words. */
export function expectedTime(macs: number, backend: string): string {
  return `about ${formatSeconds(macs / (MACS_PER_SECOND[backend] ?? MACS_PER_SECOND.cpu))} on ${backend}`;
}

