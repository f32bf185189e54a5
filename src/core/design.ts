/**
 * Reading a design file (contract §1). `readDesign` takes any JSON value and returns either a design or one
 * fatal reason it is not a design at all (wrong format, wrong version, no node list). Problems inside a
 * well-formed file (a bad id, a dangling edge…) come back as issues naming the node or edge, and the node
 * or edge is kept out so that everything else can still be analysed. It never throws on bad input.
 */

import type { AnalysisError, Design, DesignEdge, DesignGroup, DesignNode } from './types.ts';
import { GROUP_KINDS } from './types.ts';
import { stripBom } from './format.ts';

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
      return issues.push({ nodeId: id, field: 'kind', message: `node '${id}': "kind" must be text, got ${JSON.stringify(n.kind) ?? 'nothing'}` });
    }
    const node: DesignNode = { id, kind: n.kind, params: {} };
    if (hasOwn(n, 'params') && n.params !== undefined) {
      // Kept as given: the kind's schema checks it during analysis and names the field.
      node.params = n.params as Record<string, unknown>;
    }
    if (n.name !== undefined) {
      if (typeof n.name === 'string') node.name = n.name;
      else issues.push({ nodeId: id, field: 'name', message: `${n.kind} '${id}': name must be text` });
    }
    if (n.position !== undefined) {
      const p = n.position;
      if (isObject(p) && typeof p.x === 'number' && typeof p.y === 'number' && Number.isFinite(p.x) && Number.isFinite(p.y)) {
        node.position = { x: p.x, y: p.y };
      } else issues.push({ nodeId: id, field: 'position', message: `${n.kind} '${id}': position must be { "x": number, "y": number }` });
    }
    if (n.group !== undefined) {
      if (typeof n.group === 'string' && groupIds.has(n.group)) node.group = n.group;
      else issues.push({ nodeId: id, field: 'group', message: `${n.kind} '${id}': group ${JSON.stringify(n.group)} is not one of the design's groups` });
    }
    nodes.push(node);
  });

  const edges: DesignEdge[] = [];
  (raw.edges as unknown[] | undefined ?? []).forEach((e, i) => {
    if (!isObject(e)) return issues.push({ message: `edge #${i + 1} is not an object` });
    const bad = idProblem(e.id);
    if (bad) return issues.push({ message: `edge #${i + 1} ${bad}` });
    const id = e.id as string;
    for (const end of ['source', 'target'] as const) {
      if (typeof e[end] !== 'string') {
        return issues.push({ edgeId: id, field: end, message: `edge '${id}': "${end}" must be a node id` });
      }
    }
    const edge: DesignEdge = { id, source: e.source as string, target: e.target as string };
    if (e.targetPort !== undefined) {
      if (typeof e.targetPort === 'number' && Number.isInteger(e.targetPort) && e.targetPort >= 0 && e.targetPort < 1e6) edge.targetPort = e.targetPort;
      else return issues.push({ edgeId: id, nodeId: edge.target, field: 'targetPort', message: `edge '${id}': targetPort must be a whole number from 0, got ${JSON.stringify(e.targetPort)}` });
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
  if (groups.length) design.groups = groups;
  return { ok: true, design, issues };
}

/** An empty design with one input, what "New" opens. */
export function emptyDesign(name = 'Untitled'): Design {
  return { format: DESIGN_FORMAT, version: DESIGN_VERSION, name, nodes: [], edges: [] };
}

/**
 * Each node's incoming edges in input order: `targetPort` where given, else the order of the edges in the
 * file (edges without a port keep file order after the numbered ones).
 * @example inputsInPortOrder(design).get('concat1')?.map((e) => e.source) // → ['branch1', 'branch2']
 */
export function inputsInPortOrder(design: Pick<Design, 'edges'>): Map<string, DesignEdge[]> {
  const by = new Map<string, DesignEdge[]>();
  for (const e of design.edges) {
    const list = by.get(e.target);
    if (list) list.push(e);
    else by.set(e.target, [e]);
  }
  for (const list of by.values()) {
    if (list.length > 1 && list.some((e) => e.targetPort !== undefined)) {
      list.sort((a, b) => (a.targetPort ?? Infinity) - (b.targetPort ?? Infinity));
    }
  }
  return by;
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
