/**
 * The last profile the Run tab's Profile view measured, where the canvas's **Bars** chooser reads it ("Time"):
 * each node's median milliseconds. Beside the panel like the loaded weights (weights-store.ts), not in the design
 * (a time belongs to this machine, not to the network); it outlasts switching tabs, not a page reload, and the
 * view forgets it when another design is opened.
 */

import { create } from 'zustand';
import type { Design } from '../../../engine/index.ts';
import type { ProfileResult } from './run-client.ts';

export interface ProfileTimes {
  /** median ms per node id (null prototype: an id `__proto__` is a key) */
  ms: Record<string, number>;
  /** the largest node time: the bars are drawn relative to it */
  max: number;
  /** where it was measured, for the bar's tooltip: "wasm, 2 threads" */
  where: string;
}

export interface ProfileTimesState {
  times: ProfileTimes | null;
  /** the whole last profile and the design it timed (the view shows it again when reopened) */
  result: ProfileResult | null;
  design: Design | null;
  setProfile(result: ProfileResult, design: Design, where: string): void;
  forget(): void;
}

export const useProfileTimes = create<ProfileTimesState>((set) => ({
  times: null,
  result: null,
  design: null,
  setProfile: (result, design, where) => {
    const ms: Record<string, number> = Object.create(null);
    let max = 0;
    // a node tfjs ran no layer for (an input) has no time to show
    for (const n of result.nodes) {
      if (n.ms <= 0) continue;
      ms[n.id] = n.ms;
      max = Math.max(max, n.ms);
    }
    set({ times: { ms, max, where }, result, design });
  },
  forget: () => set({ times: null, result: null, design: null }),
}));
