/**
 * Pure edits of a design: each returns a new design and leaves its argument untouched (unchanged nodes and
 * edges are shared). The advice rules rewrite a copy of a design with these, and the editor applies the same
 * rewrites, so a saving the advice states is the saving the editor makes.
 */

import { edgeIdSource } from './design.ts';
import type { Design, DesignEdge, DesignNode, Position } from './types.ts';

/** A node to create: its kind and params, and optionally a base for its id and a display name. */
export interface NodeSpec {
  kind: string;
  params: Record<string, unknown>;
  /** base of the new node's id (made unique and kept to the id rules); the node's kind when absent */
  id?: string;
  name?: string;
}

const ID_CHARS = /[^A-Za-z0-9_.:-]/g;

/**
 * An id built from `base` that is not in `taken` (and is added to it): `base`, else `base_2`, `base_3`…,
 * cut to the 64 characters ids may have, with characters ids may not hold replaced by `_`.
 * @example uniqueId('conv1_reduce', new Set(['conv1_reduce'])) // → 'conv1_reduce_2'
 */
export function uniqueId(base: string, taken: Set<string>): string {
  const clean = (base.replace(ID_CHARS, '_') || 'node').slice(0, 56);
  let id = clean;
  for (let k = 2; taken.has(id); k++) id = `${clean}_${k}`;
  taken.add(id);
  return id;
}

function nodeIndex(design: Design, nodeId: string): number {
  const i = design.nodes.findIndex((n) => n.id === nodeId);
  if (i < 0) throw new Error(`no node '${nodeId}' in design '${design.name}'`);
  return i;
}

/**
 * The design with `patch` merged into one node's params (a key set to `undefined` is removed, so the kind's
 * default applies).
 * @example setNodeParams(d, 'conv1', { useBias: false })
 * @throws Error when no node has that id
 */
export function setNodeParams(design: Design, nodeId: string, patch: Record<string, unknown>): Design {
  const i = nodeIndex(design, nodeId);
  const params: Record<string, unknown> = { ...design.nodes[i].params, ...patch };
  for (const k of Object.keys(patch)) if (patch[k] === undefined) delete params[k];
  const nodes = design.nodes.slice();
  nodes[i] = { ...design.nodes[i], params };
  return { ...design, nodes };
}

/**
 * The design with one node turned into another kind with other params; its id, name, group, position and
 * all its edges stay, so everything wired to it stays wired.
 * @example replaceNode(d, 'flatten', { kind: 'globalAvgPool', params: {} })
 * @throws Error when no node has that id
 */
export function replaceNode(design: Design, nodeId: string, spec: Pick<NodeSpec, 'kind' | 'params'>): Design {
  const i = nodeIndex(design, nodeId);
  const nodes = design.nodes.slice();
  nodes[i] = { ...design.nodes[i], kind: spec.kind, params: { ...spec.params } };
  return { ...design, nodes };
}

function between(a: Position | undefined, b: Position | undefined): Position | undefined {
  if (!b) return undefined;
  if (!a) return { x: b.x, y: b.y - 60 };
  return { x: Math.round((a.x + b.x) / 2), y: Math.round((a.y + b.y) / 2) };
}

/**
 * A fresh edge id in the editor's style, `e<n>`, counting up from the number of edges.
 * @example freshEdgeId({ edges: [{ id: 'e1', source: 'a', target: 'b' }] }) // → 'e2'
 */
export function freshEdgeId(design: Pick<Design, 'edges'>): string {
  return edgeIdSource(design)();
}

/**
 * The wiring of an insert, the one rule for every insert (advice rewrites, quick fixes, the editor): `node`
 * goes in front of the target of `moved` (edges into one target). The first edge now comes from `node` and keeps
 * its place in the file, its id and its `targetPort`, so the target's input order is unchanged (contract §1);
 * each moved edge's source feeds `node` through a fresh edge (ports 0, 1, … when there are several); the other
 * moved edges go. `node` keeps the position it is given, joins the target's group unless it has one, and comes
 * just before the target in file order.
 * @throws Error when an edge is not one of the design's, or the edges lead into different targets
 * @example insertOnEdges(d, [edgeA, edgeB], { id: 'add_1', kind: 'add', params: {} }) // a → add_1, b → add_1, add_1 → target
 */
export function insertOnEdges(design: Design, moved: readonly DesignEdge[], node: DesignNode): Design {
  const index = moved.map((edge) => {
    const k = design.edges.findIndex((e) => e === edge || (e.id === edge.id && e.source === edge.source && e.target === edge.target));
    if (k < 0) throw new Error(`cannot insert on an edge ${edge.source} → ${edge.target} that is not in design '${design.name}'`);
    return k;
  });
  const targetId = moved[0].target;
  if (moved.some((e) => e.target !== targetId)) throw new Error('the edges of one insert must lead into one layer');
  const target = design.nodes.find((n) => n.id === targetId);
  const created: DesignNode = target?.group !== undefined && node.group === undefined ? { ...node, group: target.group } : node;
  const nodes = design.nodes.slice();
  const at = design.nodes.findIndex((n) => n.id === targetId);
  nodes.splice(at < 0 ? nodes.length : at, 0, created); // the file still reads top to bottom
  const gone = new Set(index.slice(1));
  const edges = design.edges.map((e, k) => (k === index[0] ? { ...e, source: node.id } : e)).filter((_, k) => !gone.has(k));
  const fresh = edgeIdSource(design);
  moved.forEach((e, i) => edges.push({ id: fresh(), source: e.source, target: node.id, ...(moved.length > 1 ? { targetPort: i } : {}) }));
  return { ...design, nodes, edges };
}

/**
 * The design with a new node put on an edge: source → new → target (`insertOnEdges` with one edge). The new
 * node is placed at `spec.position`, else between the two on the canvas.
 * @returns the new design and the new node's id
 * @throws Error when the edge is not one of the design's
 * @example insertOnEdge(d, skipEdge, { kind: 'conv2d', params: { filters: 128, kernelSize: 1, strides: 2 }, id: 'projection' })
 */
export function insertOnEdge(design: Design, edge: DesignEdge, spec: NodeSpec & { position?: Position }): { design: Design; id: string } {
  const taken = new Set(design.nodes.map((n) => n.id));
  const id = uniqueId(spec.id ?? spec.kind, taken);
  const source = design.nodes.find((n) => n.id === edge.source);
  const target = design.nodes.find((n) => n.id === edge.target);
  const node: DesignNode = { id, kind: spec.kind, params: { ...spec.params } };
  if (spec.name !== undefined) node.name = spec.name;
  const position = spec.position ?? between(source?.position, target?.position);
  if (position) node.position = position;
  return { design: insertOnEdges(design, [edge], node), id };
}

/**
 * The design with a new node inserted on the input edge of a one-input node: producer → new → node
 * (`insertOnEdge` on its one input edge).
 * @returns the new design and the new node's id
 * @throws Error when no node has that id, or it has not exactly one input edge
 * @example insertBefore(d, 'conv3x3', { kind: 'conv2d', params: { filters: 64, kernelSize: 1 }, id: 'conv3x3_reduce' })
 */
export function insertBefore(design: Design, nodeId: string, spec: NodeSpec): { design: Design; id: string } {
  nodeIndex(design, nodeId);
  const incoming = design.edges.filter((e) => e.target === nodeId);
  if (incoming.length !== 1) {
    throw new Error(`cannot insert before '${nodeId}': it has ${incoming.length} input edges, not one`);
  }
  return insertOnEdge(design, incoming[0], spec);
}

/**
 * The design with a one-input node replaced by a chain of nodes: the first takes the node's input edge, the
 * last keeps the node's id, name, group and output edges (so nothing downstream is rewired).
 * @returns the new design and the ids of the chain, in order (the last is `nodeId`)
 * @throws Error when no node has that id, the chain is empty, or a chain of 2+ meets a node without exactly one input
 * @example replaceByChain(d, 'conv5x5', [conv3x3, conv3x3]).ids // → ['conv5x5_3x3_1', 'conv5x5']
 */
export function replaceByChain(design: Design, nodeId: string, chain: NodeSpec[]): { design: Design; ids: string[] } {
  if (chain.length === 0) throw new Error(`cannot replace '${nodeId}' by an empty chain`);
  let d = design;
  const ids: string[] = [];
  for (const spec of chain.slice(0, -1)) {
    const r = insertBefore(d, nodeId, spec);
    d = r.design;
    ids.push(r.id);
  }
  ids.push(nodeId);
  return { design: replaceNode(d, nodeId, chain[chain.length - 1]), ids };
}
