/**
 * A node's bar when the canvas's **Bars** show time: its median milliseconds in the Run tab's last profile,
 * relative to the slowest node; a node the profile did not time (added since, or no profile yet) says so.
 */

import { formatMs } from './profile-format.ts';

export function TimeBar({ timed }: { timed: { ms: number | undefined; max: number; where: string } | null }) {
  const ms = timed?.ms;
  const title = !timed ? 'Time: no profile yet (Run tab → Profile layers)'
    : ms === undefined ? `Time: not in the last profile (${timed.where}); profile again`
      : `Time: ${formatMs(ms)} (median, ${timed.where})`;
  return (
    <div className={`layer-bar layer-bar-time${ms === undefined ? ' untimed' : ''}`} title={title} data-testid="time-bar" data-ms={ms ?? ''}>
      <div style={{ width: `${timed && ms !== undefined && timed.max > 0 ? (100 * ms) / timed.max : 0}%` }} />
    </div>
  );
}
