/**
 * Reading a design file (docs/design-format.md). `readDesign` takes any JSON value and returns either a design or one
 * fatal reason it is not a design at all (wrong format, wrong version, no node list). Problems inside a
 * well-formed file (a bad id, a dangling edge…) come back as issues naming the node or edge, and the node
 * or edge is kept out so that everything else can still be analysed. It never throws on bad input.
 */

import type { AnalysisError, Design, DesignEdge, DesignGroup, DesignNode } from './types.ts';
import { GROUP_KINDS } from './types.ts';
import { stripBom } from './format.ts';
import { readOutputs } from './outputs.ts';

export { consumerlessNodes, outputNodes, outputsErrors, outputsField, withOutputs } from './outputs.ts';

export const DESIGN_FORMAT = 'convas.design';
export const DESIGN_VERSION = 1;
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

export type ReadResult =
  | { ok: true; design: Design; issues: AnalysisError[] }
  | { ok: false; error: string };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function idProblem(v: unknown): string | null {
  if (typeof v !== 'string') return v === undefined ? 'has no id' : `has an id that is not text (${typeof v})`;
  if (!ID_PATTERN.test(v)) {
    const shown = JSON.stringify(v.length > 70 ? v.slice(0, 70) + '…' : v);
    return `has id ${shown}: ids are 1-64 characters of A-Z a-z 0-9 _ . : -`;
  }
  return null;
}

/** Parses JSON text; a syntax error becomes the fatal reason. A UTF-8 byte-order mark (U+FEFF) first is skipped. */
export function parseDesignText(text: string): ReadResult {
  let raw: unknown;
  try {
    raw = JSON.parse(stripBom(text));
  } catch (e) {
    return { ok: false, error: `not valid JSON: ${(e as Error).message}` };
  }
  return readDesign(raw);
}

/**
 * Checks the structure of a design.
 * @example readDesign({ format: 'convas.design', version: 1, name: 'x', nodes: [], edges: [] }).ok // → true
 */
export function readDesign(raw: unknown): ReadResult {
  if (!isObject(raw)) return { ok: false, error: `not a Convas design: expected a JSON object, got ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw}` };
  if (raw.format !== DESIGN_FORMAT) {
    return { ok: false, error: `not a Convas design: "format" must be "${DESIGN_FORMAT}", got ${JSON.stringify(raw.format) ?? 'nothing'}` };
  }
  if (raw.version !== DESIGN_VERSION) {
    const newer = typeof raw.version === 'number' && raw.version > DESIGN_VERSION;
    return {
      ok: false,
      error: newer
        ? `design format version ${raw.version} is newer than this Convas reads (version ${DESIGN_VERSION}); update Convas`
        : `unsupported design format version ${JSON.stringify(raw.version) ?? '(missing)'}; this Convas reads version ${DESIGN_VERSION}`,
    };
  }
  if (!Array.isArray(raw.nodes)) return { ok: false, error: 'not a Convas design: "nodes" must be a list' };
  if (raw.edges !== undefined && !Array.isArray(raw.edges)) return { ok: false, error: 'not a Convas design: "edges" must be a list' };
  if (raw.groups !== undefined && !Array.isArray(raw.groups)) return { ok: false, error: 'not a Convas design: "groups" must be a list' };

  const issues: AnalysisError[] = [];
  const outputs = raw.outputs === undefined ? undefined : readOutputs(raw.outputs, ID_PATTERN, issues);
  if (outputs && 'error' in outputs) return { ok: false, error: outputs.error };
  if (raw.name !== undefined && typeof raw.name !== 'string') issues.push({ field: 'name', message: 'design "name" must be text' });
  if (raw.description !== undefined && typeof raw.description !== 'string') issues.push({ field: 'description', message: 'design "description" must be text' });

  const groups: DesignGroup[] = [];
  const groupIds = new Set<string>();
  (raw.groups as unknown[] | undefined ?? []).forEach((g, i) => {
    if (!isObject(g)) return issues.push({ message: `group #${i + 1} is not an object` });
    const bad = idProblem(g.id);
    if (bad) return issues.push({ message: `group #${i + 1} ${bad}` });
    const id = g.id as string;
    if (groupIds.has(id)) return issues.push({ groupId: id, message: `group '${id}': duplicate id` });
    if (typeof g.kind !== 'string' || !(GROUP_KINDS as readonly string[]).includes(g.kind)) {
      return issues.push({ groupId: id, field: 'kind', message: `group '${id}': kind must be one of ${GROUP_KINDS.join(', ')}, got ${JSON.stringify(g.kind) ?? 'nothing'}` });
    }
    if (g.label !== undefined && typeof g.label !== 'string') issues.push({ groupId: id, field: 'label', message: `group '${id}': label must be text` });
    groupIds.add(id);
    const group: DesignGroup = { id, kind: g.kind as DesignGroup['kind'] };
    if (typeof g.label === 'string') group.label = g.label;
    if (g.collapsed === true) group.collapsed = true;
    groups.push(group);
  });

  const nodes: DesignNode[] = [];
  (raw.nodes as unknown[]).forEach((n, i) => {
    if (!isObject(n)) return issues.push({ message: `node #${i + 1} is not an object` });
    const bad = idProblem(n.id);
    if (bad) return issues.push({ message: `node #${i + 1} ${bad}` });
    const id = n.id as string;
    if (typeof n.kind !== 'string') {
      return issues.push({ nodeId: id, field: 'kind', message: `"kind" must be text, got ${JSON.stringify(n.kind) ?? 'nothing'}` });
    }
    // params kept as given: the kind's schema checks them during analysis and names the field
    const node: DesignNode = { id, kind: n.kind, params: hasOwn(n, 'params') && n.params !== undefined ? n.params as Record<string, unknown> : {} };
    if (n.name !== undefined) {
      if (typeof n.name === 'string') node.name = n.name;
      else issues.push({ nodeId: id, field: 'name', message: 'name must be text' });
    }
    if (n.position !== undefined) {
      const p = n.position;
      if (isObject(p) && typeof p.x === 'number' && typeof p.y === 'number' && Number.isFinite(p.x) && Number.isFinite(p.y)) {
        node.position = { x: p.x, y: p.y };
      } else issues.push({ nodeId: id, field: 'position', message: 'position must be { "x": number, "y": number }' });
    }
    if (n.group !== undefined) {
      if (typeof n.group === 'string' && groupIds.has(n.group)) node.group = n.group;
      else issues.push({ nodeId: id, field: 'group', message: `group ${JSON.stringify(n.group)} is not one of the design's groups` });
    }
    nodes.push(node);
  });

  const edges: DesignEdge[] = [];
  (raw.edges as unknown[] | undefined ?? []).forEach((e, i) => {
    if (!isObject(e)) return issues.push({ message: `edge #${i + 1} is not an object` });
    // The id is optional (docs/design-format.md#edges); an edge without one is named by its place and its ends.
    if (e.id !== undefined) {
      const bad = idProblem(e.id);
      if (bad) return issues.push({ message: `edge #${i + 1} ${bad}` });
    }
    const id = e.id as string | undefined;
    for (let k = 0; k < EDGE_ENDS.length; k++) {
      const end = EDGE_ENDS[k];
      if (typeof e[end] !== 'string') {
        const name = id !== undefined ? `edge '${id}'` : `edge ${i + 1}`;
        return issues.push({ ...(id !== undefined ? { edgeId: id } : {}), edgeIndex: i, field: end, message: `${name}: "${end}" must be a node id` });
      }
    }
    const edge: DesignEdge = { source: e.source as string, target: e.target as string };
    if (id !== undefined) edge.id = id;
    FILE_PLACE.set(edge, i);
    if (e.targetPort !== undefined) {
      if (typeof e.targetPort === 'number' && Number.isInteger(e.targetPort) && e.targetPort >= 0 && e.targetPort < 1e6) edge.targetPort = e.targetPort;
      else return issues.push({ ...(id !== undefined ? { edgeId: id } : {}), edgeIndex: i, nodeId: edge.target, field: 'targetPort', message: `${edgeName(edge, i)}: targetPort must be a whole number from 0, got ${JSON.stringify(e.targetPort)}` });
    }
    edges.push(edge);
  });

  const design: Design = {
    format: DESIGN_FORMAT,
    version: DESIGN_VERSION,
    name: typeof raw.name === 'string' ? raw.name : 'Untitled',
    nodes,
    edges,
  };
  if (typeof raw.description === 'string') design.description = raw.description;
  if (outputs) design.outputs = outputs.ids;
  if (groups.length) design.groups = groups;
  return { ok: true, design, issues };
}

const EDGE_ENDS = ['source', 'target'] as const;

/** An empty design (no layers), what "New" opens. */
export function emptyDesign(name = 'Untitled'): Design {
  return { format: DESIGN_FORMAT, version: DESIGN_VERSION, name, nodes: [], edges: [] };
}

/**
 * How messages name an edge: by its id, or, for an edge without one (docs/design-format.md#edges), by its place in the file
 * (1-based) and its ends.
 * @example edgeName({ source: 'c1', target: 'c2' }, 2) // → "edge 3 (c1 → c2)"
 */
export function edgeName(edge: Pick<DesignEdge, 'id' | 'source' | 'target'>, index: number): string {
  if (edge.id !== undefined) return `edge '${edge.id}'`;
  const end = (id: string) => (id.length > 64 ? id.slice(0, 64) + '…' : id);
  return `edge ${edgePlace(edge, index) + 1} (${end(edge.source)} → ${end(edge.target)})`;
}

/**
 * Where an edge stands in the file's `edges` list (0-based): where `readDesign` found it, else `index` (its place
 * in the design's list, for a design built in memory).
 */
export function edgePlace(edge: object, index: number): number {
  return FILE_PLACE.get(edge) ?? index;
}

/**
 * Where `readDesign` found each edge in the file (0-based), for naming edges without an id: a malformed edge
 * before it is left out of the design but still counts in the file.
 */
const FILE_PLACE = new WeakMap<object, number>();

/**
 * The input order of one node (docs/design-format.md#input-order), the one rule every reader of a design uses: an edge with
 * `targetPort` k is input k; edges without a port fill the positions left free, in the order given (file
 * order). `edges` are the node's incoming edges in file order.
 *
 * `problem` says what breaks the rule: two edges on one port, or a port at or beyond the number of inputs.
 * The order is then a best effort (the edges that do fit in their places, the rest after them in file order),
 * and the analysis reports the problem as an error on the node.
 * @example orderInputs([{ source: 'a' }, { source: 'b', targetPort: 0 }]).ordered.map((e) => e.source) // → ['b', 'a']
 */
export function orderInputs<E extends { targetPort?: number }>(edges: readonly E[]): { ordered: E[]; problem?: string } {
  const n = edges.length;
  let ported = 0;
  for (const e of edges) if (e.targetPort !== undefined) ported++;
  if (ported === 0) return { ordered: edges as E[] };
  const slots: (E | undefined)[] = new Array(n);
  const misfits: E[] = [];
  let problem: string | undefined;
  for (const e of edges) {
    const p = e.targetPort;
    if (p === undefined) continue;
    if (p >= n) {
      problem ??= `an input edge names targetPort ${p}, but the node has ${n === 1 ? 'one input' : `${n} inputs`} (ports 0 to ${n - 1})`;
      misfits.push(e);
    } else if (slots[p] !== undefined) {
      problem ??= `two input edges name targetPort ${p}`;
      misfits.push(e);
    } else slots[p] = e;
  }
  let k = 0;
  for (const e of edges) {
    if (e.targetPort !== undefined) continue;
    while (slots[k] !== undefined) k++;
    slots[k++] = e;
  }
  const ordered = slots.filter((e): e is E => e !== undefined);
  ordered.push(...misfits);
  return problem === undefined ? { ordered } : { ordered, problem };
}

/**
 * Each node's incoming edges in input order (`orderInputs`, docs/design-format.md#input-order), keyed by target id.
 * @example inputsInPortOrder(design).get('concat1')?.map((e) => e.source) // → ['branch1', 'branch2']
 */
export function inputsInPortOrder(design: Pick<Design, 'edges'>): Map<string, DesignEdge[]> {
  const by = new Map<string, DesignEdge[]>();
  for (const e of design.edges) {
    const list = by.get(e.target);
    if (list) list.push(e);
    else by.set(e.target, [e]);
  }
  for (const [target, list] of by) if (list.length > 1) by.set(target, orderInputs(list).ordered);
  return by;
}

/**
 * A source of fresh edge ids in the editor's style, `e<n>`: each call gives the next one that neither the
 * design nor an earlier call uses, counting from `from` (default: one past the number of edges). The one rule
 * for new edge ids (inserts, wires, pastes, files without ids).
 * @example const next = edgeIdSource(design); next() // → 'e7' for a design with edges e1…e6
 */
export function edgeIdSource(design: Pick<Design, 'edges'>, from = design.edges.length + 1): () => string {
  const used = new Set<string>();
  for (const e of design.edges) if (e.id !== undefined) used.add(e.id);
  let k = from;
  return () => {
    while (used.has(`e${k}`)) k++;
    used.add(`e${k}`);
    return `e${k}`;
  };
}

/**
 * The design with a fresh id (`e1`, `e2`, … not used yet) on every edge that has none; the same object when
 * every edge has one. The editor needs an id per edge; files may leave them out (docs/design-format.md#edges).
 */
export function withEdgeIds(design: Design): Design {
  if (design.edges.every((e) => e.id !== undefined)) return design;
  const fresh = edgeIdSource(design, 1);
  return { ...design, edges: design.edges.map((e) => {
    if (e.id !== undefined) return e;
    const { id: _none, ...rest } = e;
    return { id: fresh(), ...rest };
  }) };
}

/**
 * Node ids in topological order (Kahn's algorithm seeded in file order, so the order is stable). Nodes on or
 * after a cycle are left out; for a valid design every node is listed.
 * @example topologicalOrder(design) // → ['in', 'conv1', 'bn1', …]
 */
export function topologicalOrder(design: Pick<Design, 'nodes' | 'edges'>): string[] {
  const indeg = new Map<string, number>(design.nodes.map((n) => [n.id, 0]));
  const outgoing = new Map<string, string[]>();
  for (const e of design.edges) {
    if (!indeg.has(e.source) || !indeg.has(e.target)) continue;
    indeg.set(e.target, indeg.get(e.target)! + 1);
    const out = outgoing.get(e.source);
    if (out) out.push(e.target);
    else outgoing.set(e.source, [e.target]);
  }
  const order = design.nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  for (let i = 0; i < order.length; i++) {
    for (const t of outgoing.get(order[i]) ?? []) {
      const d = indeg.get(t)! - 1;
      indeg.set(t, d);
      if (d === 0) order.push(t);
    }
  }
  return order;
}
