/**
 * The inference peak by liveness (docs/analysis.md#peak-memory-by-liveness) as a plain simulation
 * written from the rule's words, for tests to check `inferencePeak` and what is built on it against: pick the next
 * node by scanning the file for the first one not yet run whose inputs have all run, then, at each step, add up
 * every tensor that has been made and that some consumer not yet finished (or nobody: an output) still needs.
 * Quadratic on purpose: nothing shared with src/engine/liveness.ts.
 */

import type { NodeAnalysis } from '../../src/contract/types.ts';

/** The order the nodes run in, the peak (bytes, float32, `batch` images) and the node running at its first step. */
export function simulateLiveness(nodes: NodeAnalysis[], batch: number) {
  const ran: string[] = [];
  const done = new Set<string>();
  const ids = new Set(nodes.map((n) => n.id));
  for (;;) {
    const next = nodes.find((n) => !done.has(n.id) && n.inputs.filter((s) => ids.has(s)).every((s) => done.has(s)));
    if (!next) break;
    done.add(next.id);
    ran.push(next.id);
  }
  const bytes = (n: NodeAnalysis) => 4 * batch * (n.outputShape ?? [0]).reduce((a, b) => a * b, 1);
  let best = { peak: -1, at: '' };
  for (let k = 0; k < ran.length; k++) {
    let live = 0;
    for (let j = 0; j <= k; j++) {
      const consumers = nodes.filter((n) => n.inputs.includes(ran[j]));
      const stillNeeded = consumers.length === 0 || consumers.some((c) => ran.indexOf(c.id) >= k);
      if (stillNeeded) live += bytes(nodes.find((n) => n.id === ran[j])!);
    }
    if (live > best.peak) best = { peak: live, at: ran[k] };
  }
  return { order: ran, ...best };
}
