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
 * The wiring by file position: `first[i]` is 1 where node i is the first entry of its id (a repeated id is one
 * node: its first entry), and `inputs[i]` lists the positions its `inputs` name (an id naming no node left out).
 */
interface Positions {
  first: Uint8Array;
  inputs: number[][];
  /** true where every first entry's inputs come before it in the file (the file is already in topological order) */
  forward: boolean;
}

function positionsOf(nodes: readonly Pick<NodeAnalysis, 'id' | 'inputs'>[]): Positions {
  const n = nodes.length;
  const index = new Map<string, number>();
  const first = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const id = nodes[i].id;
    if (!index.has(id)) {
      index.set(id, i);
      first[i] = 1;
    }
  }
  const inputs: number[][] = new Array(n);
  let forward = true;
  for (let i = 0; i < n; i++) {
    const names = nodes[i].inputs;
    const at: number[] = [];
    for (let k = 0; k < names.length; k++) {
      const j = index.get(names[k]);
      if (j === undefined) continue;
      at.push(j);
      if (j >= i && first[i]) forward = false;
    }
    inputs[i] = at;
  }
  return { first, inputs, forward };
}

/**
 * `designOrder` on positions. Where every node's inputs come before it in the file, the order is the file's (each
 * step the first node not yet run is ready, and it is the first in the file): one pass, no heap.
 */
function orderOf(p: Positions): number[] {
  const { first, inputs } = p;
  const n = first.length;
  const order: number[] = [];
  if (p.forward) {
    for (let i = 0; i < n; i++) if (first[i]) order.push(i);
    return order;
  }
  const waiting = new Int32Array(n);
  const consumers: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    if (!first[i]) continue;
    const at = inputs[i];
    for (let k = 0; k < at.length; k++) {
      const j = at[k];
      waiting[i]++;
      consumers[j].push(i);
    }
  }
  const ready = new MinHeap();
  for (let i = 0; i < n; i++) if (first[i] && waiting[i] === 0) ready.push(i);
  while (ready.size) {
    const i = ready.pop();
    order.push(i);
    const next = consumers[i];
    for (let k = 0; k < next.length; k++) if (--waiting[next[k]] === 0) ready.push(next[k]);
  }
  return order;
}

/**
 * The design's order: a topological order that keeps file order where it may. At each step the node that comes
 * first in the file among those whose inputs have all run runs next, so a file already in topological order runs
 * as written, and a node listed before its input waits for it and no longer. Returns positions into `nodes`;
 * nodes on or after a cycle are left out, and an input naming no node is ignored (both only in an invalid design).
 * Linear in nodes + edges (n log n where the file lists a node before its input).
 * @example designOrder([{ id: 'in', inputs: [] }, { id: 'b', inputs: ['a'] }, { id: 'a', inputs: ['in'] }]) // → [0, 2, 1]
 */
export function designOrder(nodes: readonly Pick<NodeAnalysis, 'id' | 'inputs'>[]): number[] {
  return orderOf(positionsOf(nodes));
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
  const p = positionsOf(nodes);
  const order = orderOf(p);
  const m = order.length;
  const stepOf = new Int32Array(nodes.length).fill(-1);
  for (let k = 0; k < m; k++) stepOf[order[k]] = k;
  // lastStep[k]: the step of the last consumer of the tensor born at step k (the end where nothing consumes it);
  // any entry's inputs count as consumers, a repeated id's later entries included
  const consumed = new Uint8Array(nodes.length);
  for (let i = 0; i < p.inputs.length; i++) {
    const at = p.inputs[i];
    for (let k = 0; k < at.length; k++) consumed[at[k]] = 1;
  }
  const lastStep = new Int32Array(m);
  for (let k = 0; k < m; k++) lastStep[k] = consumed[order[k]] ? -1 : m - 1;
  for (let k = 0; k < m; k++) {
    const at = p.inputs[order[k]];
    for (let q = 0; q < at.length; q++) {
      const s = stepOf[at[q]];
      if (s >= 0 && k > lastStep[s]) lastStep[s] = k;
    }
  }
  const change = new Float64Array(m + 1);
  for (let k = 0; k < m; k++) {
    const bytes = outputBytes(nodes[order[k]], batch);
    change[k] += bytes;
    change[Math.max(k, lastStep[k]) + 1] -= bytes;
  }
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
