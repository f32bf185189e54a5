/** A brute-force check of the placement rule's promise, shared by the engine's placement test and the store's. */

import type { DesignNode } from '../../src/contract/types.ts';
import { NODE_HEIGHT, NODE_WIDTH } from '../../src/engine/layout/node-size.ts';

/** Brute force: every pair of layer rectangles (`NODE_WIDTH` × `NODE_HEIGHT` at each position), do any two share an interior point? The first such pair's ids, else null. */
export function overlapping(nodes: DesignNode[]): [string, string] | null {
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i].position!;
      const b = nodes[j].position!;
      if (Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT) return [nodes[i].id, nodes[j].id];
    }
  }
  return null;
}
