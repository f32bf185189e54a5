/**
 * Pieces of a design that move around whole: the clipboard, duplicates and palette blocks. A fragment is a
 * list of nodes and the edges among them; pasting gives every node a fresh id and keeps the wiring.
 */

import { edgeIdSource, type Design, type DesignEdge, type DesignGroup, type DesignNode } from '../core/index.ts';

export interface Fragment {
  nodes: DesignNode[];
  edges: DesignEdge[];
  groups?: DesignGroup[];
  /** where an incoming edge attaches (node and port); absent means every node with no input in the fragment */
  entries?: { node: string; port?: number }[];
}

/** The selected nodes and the edges that run between them. */
export function extractFragment(design: Design, ids: Iterable<string>): Fragment {
  const keep = new Set(ids);
  const nodes = design.nodes.filter((n) => keep.has(n.id));
  const edges = design.edges.filter((e) => keep.has(e.source) && keep.has(e.target));
  const groupIds = new Set(nodes.map((n) => n.group).filter(Boolean));
  const groups = (design.groups ?? []).filter((g) => groupIds.has(g.id));
  return structuredClone({ nodes, edges, groups });
}

function freshIn(used: Set<string>, base: string): string {
  if (!used.has(base)) {
    used.add(base);
    return base;
  }
  const stem = base.replace(/_\d+$/, '').slice(0, 56) || 'layer';
  for (let i = 1; ; i++) {
    const id = `${stem}_${i}`;
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

/**
 * Adds a fragment to a design with fresh node, edge and group ids, moved by `offset` (or placed with its
 * top-left corner at `at`). Returns the new design and the ids the pasted nodes got, in fragment order.
 */
export function pasteFragment(
  design: Design,
  fragment: Fragment,
  place: { offset?: { x: number; y: number }; at?: { x: number; y: number } },
): { design: Design; ids: string[]; idMap: Map<string, string> } {
  const usedNodes = new Set(design.nodes.map((n) => n.id));
  const usedGroups = new Set((design.groups ?? []).map((g) => g.id));
  const idMap = new Map<string, string>();
  const groupMap = new Map<string, string>();
  const groups: DesignGroup[] = [];
  for (const g of fragment.groups ?? []) {
    const id = freshIn(usedGroups, g.id);
    groupMap.set(g.id, id);
    groups.push({ ...g, id });
  }
  let dx = place.offset?.x ?? 0;
  let dy = place.offset?.y ?? 0;
  if (place.at) {
    // Folds, not Math.min(...list): a pasted fragment may be too long to spread as arguments.
    dx = place.at.x - fragment.nodes.reduce((m, n) => Math.min(m, n.position?.x ?? 0), Infinity);
    dy = place.at.y - fragment.nodes.reduce((m, n) => Math.min(m, n.position?.y ?? 0), Infinity);
  }
  const nodes = fragment.nodes.map((n) => {
    const id = freshIn(usedNodes, n.id);
    idMap.set(n.id, id);
    const copy: DesignNode = { ...structuredClone(n), id, position: { x: Math.round((n.position?.x ?? 0) + dx), y: Math.round((n.position?.y ?? 0) + dy) } };
    if (n.group) {
      const g = groupMap.get(n.group) ?? ((design.groups ?? []).some((x) => x.id === n.group) ? n.group : undefined);
      if (g) copy.group = g;
      else delete copy.group;
    }
    return copy;
  });
  const fresh = edgeIdSource(design);
  const edges = fragment.edges.map((e) => ({ ...e, id: fresh(), source: idMap.get(e.source)!, target: idMap.get(e.target)! }));
  const next: Design = { ...design, nodes: [...design.nodes, ...nodes], edges: [...design.edges, ...edges] };
  if (groups.length || design.groups) next.groups = [...(design.groups ?? []), ...groups];
  return { design: next, ids: nodes.map((n) => n.id), idMap };
}
