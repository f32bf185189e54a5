/**
 * The weights the Run panel runs with when a person loaded some ("Load weights…"): a tfjs model.json and its
 * binary files, read into memory. They live here, beside the panel, never in the design (designs hold no
 * weights), and outlast the panel's unmounting (switching tabs) but not a page reload.
 */

import { create } from 'zustand';
import { readWeightFiles, type LoadedWeights } from '../../../drivers/compile/model-json.ts';
import { formatBytes } from '../../../engine/index.ts';

export interface WeightsState {
  /** the last weights read from files, kept while the person switches back to random ones */
  loaded: LoadedWeights | null;
  /** whether runs use `loaded` (true) or the seeded random weights (false) */
  useLoaded: boolean;
  setLoaded(w: LoadedWeights): void;
  setUseLoaded(on: boolean): void;
  forget(): void;
}

export const useRunWeights = create<WeightsState>((set) => ({
  loaded: null,
  useLoaded: false,
  setLoaded: (loaded) => set({ loaded, useLoaded: true }),
  setUseLoaded: (on) => set((s) => ({ useLoaded: on && s.loaded !== null })),
  forget: () => set({ loaded: null, useLoaded: false }),
}));

/** Reads the picked files (model.json + its .bin shards); throws a `WeightsFileError` with the reason. */
export async function readWeightsFromFiles(files: readonly File[]): Promise<LoadedWeights> {
  const picked = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
  return readWeightFiles(picked);
}

/** "model.json + weights.bin (176,320 weights, 705.28 kB)": bytes in the SI units of `formatBytes`, as everywhere */
export function describeWeights(w: LoadedWeights): string {
  const count = w.specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  const size = formatBytes(w.data.byteLength);
  return `${[w.modelFile, ...w.weightFiles].join(' + ')} (${count.toLocaleString('en-US')} weights, ${size})`;
}
