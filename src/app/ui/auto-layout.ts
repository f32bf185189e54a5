/**
 * Top-to-bottom layered layout with elkjs. The layout runs in a Web Worker (a 400-layer network takes a
 * noticeable moment, and the page should stay responsive meanwhile); where no worker can start, the bundled
 * build runs on the page instead. Both are loaded on first use: they are large.
 */

import type { Design, Position } from '../../engine/index.ts';
import { NODE_HEIGHT, NODE_WIDTH } from '../../engine/layout/node-size.ts';

interface ElkLike {
  layout(graph: unknown): Promise<{ children?: { id: string; x?: number; y?: number }[] }>;
}

let elk: Promise<ElkLike> | null = null;

async function makeElk(): Promise<ElkLike> {
  try {
    const [{ default: ELK }, { default: workerUrl }] = await Promise.all([
      import('elkjs/lib/elk-api.js'),
      import('elkjs/lib/elk-worker.min.js?url'),
    ]);
    return new ELK({ workerUrl }) as unknown as ElkLike;
  } catch {
    const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
    return new ELK() as unknown as ElkLike;
  }
}

export async function autoLayout(design: Design): Promise<Record<string, Position>> {
  elk ??= makeElk();
  const ids = new Set(design.nodes.map((n) => n.id));
  const graph = await (await elk).layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '46',
      'elk.spacing.nodeNode': '40',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    },
    children: design.nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: design.edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const out: Record<string, Position> = Object.create(null); // keyed by node id: no prototype
  for (const c of graph.children ?? []) out[c.id] = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) };
  return out;
}
