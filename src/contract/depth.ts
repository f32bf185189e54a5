/** Layer depth for drawing: how far each node sits below the inputs. Iterative, so no design can exhaust the stack. */

import { inputsInPortOrder, topologicalOrder } from './design.ts';
import type { Design } from './types.ts';

/**
 * Longest-path depth of every node from a node without inputs (0), counted in edges. Nodes on or after a cycle
 * (an invalid design is still drawn) take 1 + the deepest input already known, 0 when none is; every node of
 * the design gets a depth. Runs in O(nodes + edges) with no recursion: a 200,000-node chain is fine.
 * @example nodeDepths(design).get('conv1') // → 1 for a conv right after the input
 */
export function nodeDepths(design: Pick<Design, 'nodes' | 'edges'>): Map<string, number> {
  const inputsOf = inputsInPortOrder(design);
  const depth = new Map<string, number>();
  const place = (id: string) => {
    let d = 0;
    for (const e of inputsOf.get(id) ?? []) {
      const s = depth.get(e.source);
      if (s !== undefined && s + 1 > d) d = s + 1;
    }
    depth.set(id, d);
  };
  for (const id of topologicalOrder(design)) place(id);
  for (const n of design.nodes) if (!depth.has(n.id)) place(n.id);
  return depth;
}
