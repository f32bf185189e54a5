/**
 * How a profile reads (docs/command-line.md#profile): the nodes sorted by time with their share of the pass and
 * their MACs per millisecond, and the sums per group. Pure arithmetic on measured times, shared by `convas
 * profile` and the Run tab's Profile view.
 */

import type { Design } from '../contract/types.ts';

/** One node's measured time (the contract's profile line). */
export interface NodeTime {
  id: string;
  ms: number;
  macs: number;
}

export interface ProfileRow extends NodeTime {
  /** the node's name, else its id */
  label: string;
  kind: string;
  /** ms / the sum of every node's ms */
  share: number;
  /** MACs per millisecond; null for a node without MACs or without a measurable time */
  macsPerMs: number | null;
}

export interface GroupTime {
  id: string;
  label: string;
  ms: number;
  macs: number;
  share: number;
}

export interface ProfileTable {
  /** the nodes that took time, slowest first (ties in design order) */
  rows: ProfileRow[];
  /** the groups, slowest first: the sum of their nodes' times */
  groups: GroupTime[];
  /** the sum of every node's time, ms */
  sumMs: number;
}

/**
 * The profile's table: nodes with a time above 0, slowest first, and per-group sums (a node counts in the group it
 * belongs to). `macsPerMs` is macs / ms: a wide 1×1 conv does many MACs per millisecond, a depthwise 3×3 few.
 * @example profileTable(design, [{ id: 'c1', ms: 2, macs: 1e6 }]).rows[0].macsPerMs // → 500000
 */
export function profileTable(design: Pick<Design, 'nodes' | 'groups'>, times: readonly NodeTime[]): ProfileTable {
  const byId = new Map(design.nodes.map((n) => [n.id, n]));
  const sumMs = times.reduce((s, t) => s + t.ms, 0);
  const share = (ms: number) => (sumMs > 0 ? ms / sumMs : 0);
  const rows = times.filter((t) => t.ms > 0).map((t) => {
    const n = byId.get(t.id);
    return { ...t, label: n?.name ?? t.id, kind: n?.kind ?? '', share: share(t.ms), macsPerMs: t.macs > 0 ? t.macs / t.ms : null };
  });
  rows.sort((a, b) => b.ms - a.ms);
  const labels = new Map((design.groups ?? []).map((g) => [g.id, g.label ?? g.id]));
  const groups = new Map<string, GroupTime>();
  for (const t of times) {
    const g = byId.get(t.id)?.group;
    if (g === undefined || !labels.has(g)) continue;
    const sum = groups.get(g) ?? { id: g, label: labels.get(g)!, ms: 0, macs: 0, share: 0 };
    sum.ms += t.ms;
    sum.macs += t.macs;
    groups.set(g, sum);
  }
  const groupRows = [...groups.values()].map((g) => ({ ...g, share: share(g.ms) })).sort((a, b) => b.ms - a.ms);
  return { rows, groups: groupRows, sumMs };
}
