/**
 * Pure edits of a design: each returns a new design and leaves its argument untouched (unchanged nodes and
 * edges are shared). The advice rules rewrite a copy of a design with these, and the editor applies the same
 * rewrites, so a saving the advice states is the saving the editor makes. Every edit the editor makes by hand
 * is written here once too: fresh ids (`uniqueId`), connecting two layers (`connectNodes`, `nextTargetPort`),
 * adding a layer wired from another (`addNode`), copying and pasting pieces (`extractFragment`,
 * `pasteFragment`, `offsetFragment`), setting params (`replaceParams`), renaming (`renameNode`), moving
 * (`moveNodes`) and deleting (`removeNodes`).
 */

import { edgeIdSource } from '../contract/design.ts';
import { defaultParams } from '../contract/params.ts';
import { getLayerKind } from './registry.ts';
import { outputsAfterRemoval } from './output-edits.ts';
import type { Design, DesignEdge, DesignGroup, DesignNode, Position } from '../contract/types.ts';

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
 * The one rule for fresh ids (layers the palette adds, quick fixes, advice rewrites, pastes, groups of a
 * pasted piece): an id built from `base` that is not in `taken` (and is added to it). `base` itself when it is
 * free; else the next number: `conv2d` → `conv2d_2`, `conv2d_3`…, and a base that already ends in a number
 * counts on from it (`conv2d_2` → `conv2d_3`), so a copy of `conv2d_2` is not `conv2d_2_2`. Characters ids
 * may not hold become `_`; the stem is cut to 56 characters so the id stays within the 64 ids may have.
 * `taken` is anything with a set's `has` and `add` (the advice checks against a design's ids without copying them).
 * @example uniqueId('conv1_reduce', new Set(['conv1_reduce'])) // → 'conv1_reduce_2'
 * @example uniqueId('conv2d_2', new Set(['conv2d', 'conv2d_2'])) // → 'conv2d_3'
 */
export function uniqueId(base: string, taken: Pick<Set<string>, 'has' | 'add'>): string {
  const clean = (base.replace(ID_CHARS, '_') || 'node').slice(0, 56);
  let id = clean;
  if (taken.has(id)) {
    const numbered = /^(.+)_(\d{1,6})$/.exec(clean);
    const stem = numbered ? numbered[1] : clean;
    let k = numbered ? Number(numbered[2]) + 1 : 2;
    for (id = `${stem}_${k}`; taken.has(id); ) id = `${stem}_${++k}`;
  }
  taken.add(id);
  return id;
}

/**
 * A fresh node id for `design` by `uniqueId`'s rule: `base` when no node has it, else `base_2`, `base_3`…
 * @example freshNodeId(design, 'conv2d') // → 'conv2d' on an empty canvas, 'conv2d_2' once one is there
 */
export function freshNodeId(design: Pick<Design, 'nodes'>, base: string): string {
  return uniqueId(base, new Set(design.nodes.map((n) => n.id)));
}

/**
 * The port a new wire into a merge gets so that it becomes the last input: the number of inputs it has. By
 * the contract's rule (`orderInputs`) the existing edges, ported or not, fill ports 0…n−1 whatever their order in the file.
 * @example nextTargetPort(design, 'concat') // → 2 when two edges lead into 'concat'
 */
export function nextTargetPort(design: Pick<Design, 'edges'>, target: string): number {
  let n = 0;
  for (const e of design.edges) if (e.target === target) n++;
  return n;
}

/** A connection made, or why not: `info` for a wire that is there already, `error` for one the target cannot take. */
export type Connected =
  | { ok: true; design: Design; edge: DesignEdge }
  | { ok: false; severity: 'info' | 'error'; reason: string };

/**
 * The design with a new edge `source → target`, the one rule for wiring by hand: refused (with the reason, in
 * words) when either node is missing, the two are one, the edge is there already, or the target takes no more
 * inputs (its kind's arity). A wire into a merge (arity above one) gets the next port, so it becomes the last input.
 * @example connectNodes(d, 'conv1', 'add1') // → { ok: true, design, edge: { id: 'e7', source: 'conv1', target: 'add1', targetPort: 1 } }
 */
export function connectNodes(design: Design, source: string, target: string): Connected {
  const t = design.nodes.find((n) => n.id === target);
  const src = design.nodes.find((n) => n.id === source);
  if (!t || !src) return { ok: false, severity: 'error', reason: `no layer '${!t ? target : source}' to connect` };
  if (source === target) return { ok: false, severity: 'error', reason: `a layer cannot take its own output as its input` };
  const kind = getLayerKind(t.kind);
  const label = (n: DesignNode) => n.name ?? n.id;
  const existing = design.edges.filter((e) => e.target === target);
  if (existing.some((e) => e.source === source)) return { ok: false, severity: 'info', reason: `${label(t)} already takes ${label(src)} as an input` };
  if (kind && kind.arity.max === 0) return { ok: false, severity: 'error', reason: `${kind.title} '${label(t)}' takes no inputs: it is where the network starts` };
  if (kind && existing.length >= kind.arity.max) {
    return {
      ok: false, severity: 'error',
      reason: `${kind.title} '${label(t)}' takes ${kind.arity.max === 1 ? 'one input' : `${kind.arity.max} inputs`}; remove its input first, or merge the two with Add or Concat`,
    };
  }
  const edge: DesignEdge = { id: freshEdgeId(design), source, target };
  if (kind && kind.arity.max > 1) edge.targetPort = nextTargetPort(design, target);
  return { ok: true, design: { ...design, edges: [...design.edges, edge] }, edge };
}

/**
 * The design with a new layer of a known kind at `position` (rounded to whole pixels), its params the kind's
 * defaults overlaid by `spec.params`, its id fresh from `spec.id` (else the kind's name); wired from `from`
 * when that node exists and the new kind takes inputs (into port 0 of a merge). This is "add below": a
 * palette click puts the layer under the selected one, which feeds it.
 * @returns null for a kind Convas does not know
 * @example addNode(d, { kind: 'conv2d', params: { kernelSize: 1 }, id: 'conv1x1', position: { x: 0, y: 124 } }, 'input')
 */
export function addNode(design: Design, spec: NodeSpec & { position: Position }, from?: string): { design: Design; id: string } | null {
  const kind = getLayerKind(spec.kind);
  if (!kind) return null;
  const id = freshNodeId(design, spec.id ?? spec.kind);
  const node: DesignNode = {
    id, kind: spec.kind, params: { ...defaultParams(kind.params), ...spec.params },
    position: { x: Math.round(spec.position.x), y: Math.round(spec.position.y) },
  };
  if (spec.name !== undefined) node.name = spec.name;
  const edges = [...design.edges];
  if (from !== undefined && kind.arity.max !== 0 && design.nodes.some((n) => n.id === from)) {
    const edge: DesignEdge = { id: freshEdgeId(design), source: from, target: id };
    if (kind.arity.max > 1) edge.targetPort = 0;
    edges.push(edge);
  }
  return { design: { ...design, nodes: [...design.nodes, node], edges }, id };
}

/**
 * A piece of a design that moves around whole: the clipboard, a duplicate, a palette block. Its nodes, the
 * edges among them and their groups; `entries` says where an incoming edge attaches (node and port), and when
 * absent every node of the piece with no input inside it (and a kind that takes inputs) is an entry.
 */
export interface Fragment {
  nodes: DesignNode[];
  edges: DesignEdge[];
  groups?: DesignGroup[];
  entries?: { node: string; port?: number }[];
  /** where a second outside layer goes in (a decoder block's skip), wired from `pasteFragment`'s `skipFrom` */
  skip?: { node: string; port?: number };
}

/** The nodes `ids` of a design, the edges that run between them and their groups, as a deep copy. */
export function extractFragment(design: Design, ids: Iterable<string>): Fragment {
  const keep = new Set(ids);
  const nodes = design.nodes.filter((n) => keep.has(n.id));
  const edges = design.edges.filter((e) => keep.has(e.source) && keep.has(e.target));
  const groupIds = new Set(nodes.map((n) => n.group).filter(Boolean));
  const groups = (design.groups ?? []).filter((g) => groupIds.has(g.id));
  return structuredClone({ nodes, edges, groups });
}

/**
 * Adds a fragment to a design, moved by `offset` (or with its top-left corner at `at`, in canvas pixels). A
 * pasted node or group keeps its id when the design does not use it, else gets the next by `uniqueId`'s rule;
 * edges get fresh ids and keep the wiring. With `from` (a node of the design) each entry of the fragment gets
 * an edge from it (into the entry's port when it names one); with `skipFrom`, the fragment's `skip` entry gets one
 * from that node (a decoder block's skip from the encoder).
 * @returns the new design, the ids the pasted nodes got (in fragment order) and the map old id → new id
 * @example pasteFragment(d, extractFragment(d, ['conv2d']), { offset: { x: 60, y: 60 } }).ids // → ['conv2d_2']
 */
export function pasteFragment(
  design: Design,
  fragment: Fragment,
  place: { offset?: Position; at?: Position },
  from?: string,
  skipFrom?: string,
): { design: Design; ids: string[]; idMap: Map<string, string> } {
  const usedNodes = new Set(design.nodes.map((n) => n.id));
  const usedGroups = new Set((design.groups ?? []).map((g) => g.id));
  const idMap = new Map<string, string>();
  const groupMap = new Map<string, string>();
  const groups: DesignGroup[] = [];
  for (const g of fragment.groups ?? []) {
    const id = uniqueId(g.id, usedGroups);
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
    const id = uniqueId(n.id, usedNodes);
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
  const edges: DesignEdge[] = fragment.edges.map((e) => ({ ...e, id: fresh(), source: idMap.get(e.source)!, target: idMap.get(e.target)! }));
  if (from !== undefined && nodes.length && design.nodes.some((n) => n.id === from)) {
    const inner = new Set(fragment.edges.map((e) => e.target));
    const entries = fragment.entries ?? fragment.nodes
      .filter((n) => !inner.has(n.id) && getLayerKind(n.kind)?.arity.max !== 0)
      .map((n) => ({ node: n.id, port: undefined as number | undefined }));
    for (const entry of entries) {
      const target = idMap.get(entry.node);
      if (!target) continue;
      const edge: DesignEdge = { id: fresh(), source: from, target };
      if (entry.port !== undefined) edge.targetPort = entry.port;
      edges.push(edge);
    }
  }
  const skipTarget = fragment.skip && idMap.get(fragment.skip.node);
  if (skipFrom !== undefined && skipTarget && design.nodes.some((n) => n.id === skipFrom)) {
    const edge: DesignEdge = { id: fresh(), source: skipFrom, target: skipTarget };
    if (fragment.skip!.port !== undefined) edge.targetPort = fragment.skip!.port;
    edges.push(edge);
  }
  const next: Design = { ...design, nodes: [...design.nodes, ...nodes], edges: [...design.edges, ...edges] };
  if (groups.length || design.groups) next.groups = [...(design.groups ?? []), ...groups];
  return { design: next, ids: nodes.map((n) => n.id), idMap };
}

/**
 * A fragment moved by `by` canvas pixels (a node without a position counts from the origin): the clipboard
 * after a paste, so that the next paste lands a step further on.
 * @example offsetFragment(f, { x: 60, y: 60 })
 */
export function offsetFragment(fragment: Fragment, by: Position): Fragment {
  return { ...fragment, nodes: fragment.nodes.map((n) => ({ ...n, position: { x: (n.position?.x ?? 0) + by.x, y: (n.position?.y ?? 0) + by.y } })) };
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

/**
 * The design with one node's params replaced whole by `params` (the Inspector's edit: it sends every field it
 * holds, so a key it left out goes back to the kind's default). Unlike `setNodeParams` nothing is merged.
 * @returns the design itself when no node has that id
 * @example replaceParams(d, 'conv1', { filters: 8, kernelSize: 3 })
 */
export function replaceParams(design: Design, nodeId: string, params: Record<string, unknown>): Design {
  if (!design.nodes.some((n) => n.id === nodeId)) return design;
  return { ...design, nodes: design.nodes.map((n) => (n.id === nodeId ? { ...n, params } : n)) };
}

/**
 * The design with one node's display name set to `name`; an empty name removes it, so the node shows its id.
 * @returns the design itself when no node has that id
 * @example renameNode(d, 'conv1', 'stem')
 */
export function renameNode(design: Design, nodeId: string, name: string): Design {
  if (!design.nodes.some((n) => n.id === nodeId)) return design;
  return {
    ...design,
    nodes: design.nodes.map((n) => {
      if (n.id !== nodeId) return n;
      if (name) return { ...n, name };
      const { name: _drop, ...rest } = n;
      return rest;
    }),
  };
}

/**
 * The design with the nodes named in `positions` moved there (canvas pixels). A move by hand (`round`, the
 * default) lands on whole pixels, as every position the editor writes; the auto-layout's positions are taken
 * as they are (`round: false`).
 * @returns the design itself when `positions` names no node
 * @example moveNodes(d, { conv1: { x: 10.4, y: 20.6 } }) // conv1 at { x: 10, y: 21 }
 */
export function moveNodes(design: Design, positions: Readonly<Record<string, Position>>, opts: { round?: boolean } = {}): Design {
  if (!design.nodes.some((n) => Object.hasOwn(positions, n.id))) return design;
  const round = opts.round ?? true;
  return {
    ...design,
    nodes: design.nodes.map((n) => {
      if (!Object.hasOwn(positions, n.id)) return n;
      const p = positions[n.id];
      return { ...n, position: round ? { x: Math.round(p.x), y: Math.round(p.y) } : p };
    }),
  };
}

/**
 * The design without the nodes `nodeIds` and the edges `edgeIds` (by edge id); an edge into or out of a
 * removed node goes with it, and so does its place in the `outputs` list. Groups stay as they are.
 * @example removeNodes(d, ['conv2'], ['e7']) // conv2 and its edges gone, and the edge e7
 */
export function removeNodes(design: Design, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): Design {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  // the outputs list keeps the outputs that remain (docs/design-format.md#outputs)
  return outputsAfterRemoval(design, {
    ...design,
    nodes: design.nodes.filter((n) => !nodes.has(n.id)),
    edges: design.edges.filter((e) => !(e.id !== undefined && edges.has(e.id)) && !nodes.has(e.source) && !nodes.has(e.target)),
  }, nodes);
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
 * its place in the file, its id and its `targetPort`, so the target's input order is unchanged (docs/design-format.md#input-order);
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
