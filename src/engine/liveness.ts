/**
 * Peak memory of inference by liveness (docs/analysis.md#peak-memory-by-liveness): run the layers one at a time
 * in the design's order and keep each tensor only while something still needs it. Pure arithmetic on an analysis
 * (its nodes in file order, each with its `inputs`), for a batch of `batch` images, float32.
 */

import type { NodeAnalysis } from '../contract/types.ts';
import { outputBytes } from './memory.ts';

/** A binary min-heap of numbers (file positions): the ready node that comes first in the file runs next. */
class MinHeap {
  private items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(v: number): void {
    const a = this.items;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] <= v) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = v;
  }
  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const c = l + 1 < a.length && a[l + 1] < a[l] ? l + 1 : l;
        if (a[c] >= last) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

/**
 * The design's order: a topological order that keeps file order where it may. At each step the node that comes
 * first in the file among those whose inputs have all run runs next, so a file already in topological order runs
 * as written, and a node listed before its input waits for it and no longer. Returns positions into `nodes`;
 * nodes on or after a cycle are left out, and an input naming no node is ignored (both only in an invalid design).
 * @example designOrder([{ id: 'in', inputs: [] }, { id: 'b', inputs: ['a'] }, { id: 'a', inputs: ['in'] }]) // → [0, 2, 1]
 */
export function designOrder(nodes: readonly Pick<NodeAnalysis, 'id' | 'inputs'>[]): number[] {
  const index = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (!index.has(n.id)) index.set(n.id, i);
  });
  const waiting = new Array<number>(nodes.length).fill(0);
  const consumers: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    if (index.get(n.id) !== i) return; // a repeated id is one node: its first entry
    for (const src of n.inputs) {
      const j = index.get(src);
      if (j === undefined) continue;
      waiting[i]++;
      consumers[j].push(i);
    }
  });
  const ready = new MinHeap();
  nodes.forEach((n, i) => {
    if (index.get(n.id) === i && waiting[i] === 0) ready.push(i);
  });
  const order: number[] = [];
  while (ready.size) {
    const i = ready.pop();
    order.push(i);
    for (const c of consumers[i]) if (--waiting[c] === 0) ready.push(c);
  }
  return order;
}

/** The peak of inference memory by liveness (`totals.memory.inferencePeakBytes` and `peakNodeId`). */
export interface InferencePeak {
  /** the largest sum of the bytes of the tensors alive at once (0 for a design with no node) */
  inferencePeakBytes: number;
  /** the node running at that moment (the first such moment in the design's order); null for an empty design */
  peakNodeId: string | null;
  /** the ids of the tensors alive at the peak, in the design's order (the running node's inputs and output among them) */
  liveAtPeak: string[];
}

/**
 * Peak inference memory by liveness (docs/analysis.md#peak-memory-by-liveness): the nodes run one at a time in
 * `designOrder`; a node's output (4 · batch · elements bytes, `outputBytes`) lives from the step its node runs
 * until the step its last consumer runs, both included, so while a node runs its inputs and its output are alive
 * together; a tensor nothing consumes (an output of the network) lives to the end. The peak is the largest sum
 * over the steps, and its node the first step that reaches it. Linear in nodes + edges.
 * @example inferencePeak(analyze(chain), 1) // in → conv → relu: the conv's input and output at the conv
 */
export function inferencePeak(nodes: readonly Pick<NodeAnalysis, 'id' | 'inputs' | 'outputShape'>[], batch = 1): InferencePeak {
  const order = designOrder(nodes);
  const step = new Map<string, number>();
  order.forEach((i, k) => step.set(nodes[i].id, k));
  // lastStep[k]: the step of the last consumer of the tensor born at step k (the end where nothing consumes it)
  const consumed = new Set<string>();
  for (const n of nodes) for (const src of n.inputs) consumed.add(src);
  const lastStep = order.map((i) => (consumed.has(nodes[i].id) ? -1 : order.length - 1));
  for (let k = 0; k < order.length; k++) {
    for (const src of nodes[order[k]].inputs) {
      const s = step.get(src);
      if (s !== undefined && k > lastStep[s]) lastStep[s] = k;
    }
  }
  const change = new Array<number>(order.length + 1).fill(0);
  order.forEach((i, k) => {
    const bytes = outputBytes(nodes[i], batch);
    change[k] += bytes;
    change[Math.max(k, lastStep[k]) + 1] -= bytes;
  });
  let live = 0;
  let peak = 0;
  let at = -1;
  for (let k = 0; k < order.length; k++) {
    live += change[k];
    if (at < 0 || live > peak) {
      peak = live;
      at = k;
    }
  }
  if (at < 0) return { inferencePeakBytes: 0, peakNodeId: null, liveAtPeak: [] };
  const liveAtPeak: string[] = [];
  for (let k = 0; k <= at; k++) if (Math.max(k, lastStep[k]) >= at) liveAtPeak.push(nodes[order[k]].id);
  return { inferencePeakBytes: peak, peakNodeId: nodes[order[at]].id, liveAtPeak };
}
