/**
 * The Profile view's pure parts: what the Run tab says about wasm threads (docs/run-threads.md), how a time is
 * written, and what the canvas's time bars read from the last profile.
 */

import { describe, expect, it } from 'vitest';
import type { WasmThreadsReport } from '../../../drivers/compile/protocol.ts';
import { wasmThreadsText } from './WasmNote.tsx';
import { formatMs, formatRate } from './profile-format.ts';
import { useProfileTimes } from './profile-store.ts';
import type { ProfileResult } from './run-client.ts';
import type { Design } from '../../../engine/index.ts';

const report = (r: Partial<WasmThreadsReport>): WasmThreadsReport => ({ asked: 'auto', isolated: true, threads: 2, threadedBuild: true, simd: true, cores: 2, ...r });

describe('the wasm threads note', () => {
  it('names the threads, and why there is one: not isolated, asked, or no threads in this browser', () => {
    expect(wasmThreadsText(report({}))).toBe('2 threads, SIMD');
    expect(wasmThreadsText(report({ threads: 1, isolated: false, threadedBuild: false })))
      .toBe('1 thread, SIMD: this page is not cross-origin isolated, so the browser allows no wasm threads (fell back to the single-threaded build)');
    expect(wasmThreadsText(report({ threads: 1, asked: 'single', threadedBuild: false }))).toBe('1 thread, SIMD, as asked');
    expect(wasmThreadsText(report({ threads: 1, threadedBuild: false }))).toMatch(/^1 thread, SIMD: this browser offers no wasm threads here/);
    expect(wasmThreadsText(report({ threads: 1, cores: 1 }))).toBe('1 thread, SIMD (this browser reports one core)');
    expect(wasmThreadsText(report({ threads: 4, simd: false, cores: 4 }))).toBe('4 threads');
  });
});

describe('times as written', () => {
  it('keeps three significant figures or more, without false precision', () => {
    expect([0.0414, 3.7249, 118.44, 1204.4].map(formatMs)).toEqual(['0.041 ms', '3.72 ms', '118.4 ms', '1,204 ms']);
    expect(formatRate(1234567.4)).toBe('1,234,567');
    expect(formatRate(null)).toBe('–');
  });
});

describe('the time bars\' store', () => {
  it('keeps each timed node\'s median and the slowest, and leaves out nodes tfjs ran nothing for', () => {
    const result = {
      type: 'profiled', backend: 'wasm', device: 'the processor (2 logical cores)', weights: 'seeded', runs: 5, warmup: 2,
      forwardMs: 10, predictMs: 9, coverage: 0.95,
      nodes: [{ id: 'in', ms: 0, macs: 0 }, { id: 'c1', ms: 6, macs: 1e6 }, { id: '__proto__', ms: 3, macs: 0 }],
    } satisfies ProfileResult;
    const design = { nodes: [], edges: [] } as unknown as Design;
    useProfileTimes.getState().setProfile(result, design, 'wasm on the processor');
    const t = useProfileTimes.getState().times!;
    expect(t.max).toBe(6);
    expect(Object.keys(t.ms)).toEqual(['c1', '__proto__']);
    expect(t.ms.__proto__).toBe(3);
    expect(useProfileTimes.getState().design).toBe(design);
    useProfileTimes.getState().forget();
    expect(useProfileTimes.getState().times).toBeNull();
  });
});
