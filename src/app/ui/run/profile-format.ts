/** How the Profile view and the time bars write a measured time and a rate. */

import { formatInt } from '../../../engine/index.ts';

/** "0.041 ms", "3.72 ms", "118.4 ms", "1,204 ms": three significant figures at least, no false precision. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${formatInt(Math.round(ms))} ms`;
  if (ms >= 100) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}

/** MACs per millisecond, rounded: "1,234,567"; "–" for a layer without MACs. */
export function formatRate(macsPerMs: number | null): string {
  return macsPerMs === null ? '–' : formatInt(Math.round(macsPerMs));
}
