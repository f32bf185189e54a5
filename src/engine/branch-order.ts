/**
 * Branch order and the inference peak (docs/advice.md#rule-8-branch-order): the peak of inference memory by
 * liveness (liveness.ts) depends on the order the layers run in, and that order is the design's file order where
 * the wiring allows (`designOrder`). Where a merge's branches would hold less at once run in another order, moving
 * their layers in the file lowers the peak and changes nothing else: the same layers, weights, wiring and outputs,
 * only a different moment for each layer to run. This module finds such orders, exactly: every candidate order is
 * measured with `inferencePeak` itself, never estimated.
 *
 * Cost: one liveness pass for the design, then, for the few merges that hold the peak (at most
 * `MAX_CANDIDATE_MERGES`), one backward walk per merge and one liveness pass per order tried (at most
 * `MAX_ORDERS_PER_MERGE`): linear in nodes + edges for a design of any size.
 */

import type { NodeAnalysis } from '../contract/types.ts';
import { designOrder, inferencePeak } from './liveness.ts';

/** Merges examined per design: those whose branches are alive at the peak, nearest first. */
export const MAX_CANDIDATE_MERGES = 8;
/** Orders tried per merge: every order of up to 5 branches (5! = 120); beyond that, the first 120 orders of Heap's enumeration. */
export const MAX_ORDERS_PER_MERGE = 120;
/** The smallest lowering advised, as a share of the peak: less than 1% is not worth moving layers for. */
export const MIN_PEAK_SAVING = 0.01;

/** A lower peak for one merge's branches, run in another order. */
export interface BranchOrderFinding {
  /** the merge whose inputs' branches move */
  mergeId: string;
  /** the merge's producers, one per moved branch, in the order they run now */
  before: string[];
  /** the same producers in the order that lowers the peak */
  after: string[];
  /** `inferencePeakBytes` now and after the move, at batch 1 (bytes) */
  peakBefore: number;
  peakAfter: number;
  /** the node running at the peak after the move */
  peakNodeAfter: string | null;
  /**
   * the new file order: positions into the node list given (`order[k]` is the old position of the node that the
   * rewritten file lists k-th)
   */
  order: number[];
}

type LiveNode = Pick<NodeAnalysis, 'id' | 'inputs' | 'outputShape'>;

/** Every ordering of `items` (Heap's algorithm), the given one first; stops after `limit`. */
function permutations<T>(items: readonly T[], limit: number): T[][] {
  const a = [...items];
  const out: T[][] = [[...a]];
  const c = new Array<number>(a.length).fill(0);
  let i = 1;
  while (i < a.length && out.length < limit) {
    if (c[i] < i) {
      const j = i % 2 ? c[i] : 0;
      [a[j], a[i]] = [a[i], a[j]];
      out.push([...a]);
      c[i]++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return out;
}

/**
 * The merges worth trying: a merge (a node with two or more distinct producers) that consumes a tensor alive at the
 * peak, or that the peak's node leads to through single-consumer layers. Only such a merge's branches can hold the
 * peak; moving any other merge's branches leaves the peak where it is.
 */
function candidateMerges(nodes: readonly LiveNode[], liveAtPeak: readonly string[], peakNodeId: string, consumers: Map<string, number[]>, producersOf: (i: number) => string[]): number[] {
  const found: number[] = [];
  const seen = new Set<number>();
  const take = (i: number) => {
    if (seen.has(i) || found.length >= MAX_CANDIDATE_MERGES) return;
    seen.add(i);
    if (producersOf(i).length >= 2) found.push(i);
  };
  for (const id of [peakNodeId, ...liveAtPeak]) for (const c of consumers.get(id) ?? []) take(c);
  // forward from the peak's node along a chain to the first merge (the branch being computed at the peak)
  let cur = peakNodeId;
  for (let steps = 0; steps < 256; steps++) {
    const next = consumers.get(cur) ?? [];
    if (next.length !== 1) break;
    take(next[0]);
    if (producersOf(next[0]).length >= 2) break;
    cur = nodes[next[0]].id;
  }
  return found;
}

/**
 * Orders of a merge's branches that lower the inference peak, by liveness at batch 1 (the ordering that lowers it
 * lowers it at every batch: each tensor's bytes scale alike).
 *
 * A merge's branch for its producer p is the set of layers that reach p and none of the merge's other producers
 * (p itself included); branches that are empty (a producer that also feeds another branch, as a residual's skip)
 * stay where they are. The branches' layers keep their file positions as a whole; the rewrite refills those
 * positions branch by branch in the new order, each branch's layers in their own order, so `designOrder` runs one
 * branch to its end before the next starts where the wiring allows.
 * @param nodes the analysis' nodes in file order (each with `inputs` and `outputShape`)
 * @returns at most one finding per merge, the lowest peak it can reach, for the merges that hold the peak; [] when
 *   no order lowers the peak by `MIN_PEAK_SAVING` or more
 * @example branchOrders(analyze(inceptionLike).nodes)[0].peakAfter < inferencePeak(analyze(inceptionLike).nodes).inferencePeakBytes
 */
export function branchOrders(nodes: readonly LiveNode[]): BranchOrderFinding[] {
  const base = inferencePeak(nodes, 1);
  if (!base.peakNodeId || base.inferencePeakBytes <= 0) return [];
  const index = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (!index.has(n.id)) index.set(n.id, i);
  });
  // a design with a repeated id or a cycle is invalid: no advice on its order
  if (index.size !== nodes.length || designOrder(nodes).length !== nodes.length) return [];
  const consumers = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    for (const src of new Set(n.inputs)) {
      if (!index.has(src)) continue;
      const list = consumers.get(src);
      if (list) list.push(i);
      else consumers.set(src, [i]);
    }
  });
  const producersOf = (i: number) => [...new Set(nodes[i].inputs)].filter((s) => index.has(s));
  const findings: BranchOrderFinding[] = [];
  for (const m of candidateMerges(nodes, base.liveAtPeak, base.peakNodeId, consumers, producersOf)) {
    const f = bestOrder(nodes, m, producersOf(m), index, base.inferencePeakBytes);
    if (f) findings.push(f);
  }
  return findings;
}

/** The best order of merge `m`'s branches, or null when none lowers `peak` by `MIN_PEAK_SAVING`. */
function bestOrder(nodes: readonly LiveNode[], m: number, producers: string[], index: Map<string, number>, peak: number): BranchOrderFinding | null {
  // which of the merge's producers each node reaches, as a bit mask (a backward walk from each producer): one bit
  // per producer, so a merge of more than 30 inputs is not tried
  if (producers.length > 30) return null;
  const reaches = new Map<number, number>();
  producers.forEach((p, bit) => {
    const stack = [index.get(p)!];
    while (stack.length) {
      const i = stack.pop()!;
      const had = reaches.get(i) ?? 0;
      if (had & (1 << bit)) continue;
      reaches.set(i, had | (1 << bit));
      for (const src of nodes[i].inputs) {
        const j = index.get(src);
        if (j !== undefined) stack.push(j);
      }
    }
  });
  const branches = producers.map(() => [] as number[]);
  for (const [i, mask] of reaches) {
    if (mask && (mask & (mask - 1)) === 0) branches[Math.log2(mask)].push(i);
  }
  const moving = producers.map((p, b) => ({ producer: p, members: branches[b].sort((x, y) => x - y) })).filter((b) => b.members.length > 0);
  if (moving.length < 2) return null;
  // the branches in the order they run now: by their first layer's place in the file
  moving.sort((a, b) => a.members[0] - b.members[0]);
  const slots = moving.flatMap((b) => b.members).sort((x, y) => x - y);
  const orderFor = (perm: typeof moving): number[] => {
    const fill = perm.flatMap((b) => b.members);
    const order = nodes.map((_, i) => i);
    slots.forEach((slot, k) => {
      order[slot] = fill[k];
    });
    return order;
  };
  let best: { perm: typeof moving; peak: number; at: string | null; order: number[] } | null = null;
  for (const perm of permutations(moving, MAX_ORDERS_PER_MERGE).slice(1)) {
    const order = orderFor(perm);
    const r = inferencePeak(order.map((i) => nodes[i]), 1);
    if (!best || r.inferencePeakBytes < best.peak) best = { perm, peak: r.inferencePeakBytes, at: r.peakNodeId, order };
  }
  if (!best || best.peak > peak * (1 - MIN_PEAK_SAVING)) return null;
  return {
    mergeId: nodes[m].id, before: moving.map((b) => b.producer), after: best.perm.map((b) => b.producer),
    peakBefore: peak, peakAfter: best.peak, peakNodeAfter: best.at, order: best.order,
  };
}
