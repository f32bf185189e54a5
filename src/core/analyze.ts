/**
 * Analysis (contract §2): output shapes, parameter counts, MACs and receptive fields for every node.
 *
 * Linear in nodes + edges. An error on one node marks it and its descendants (outputShape null, numbers 0)
 * and every other node is still analysed. Pass the previous run's `AnalysisCache` to reuse the results of
 * nodes whose definition and inputs did not change (the editor does this on every keystroke).
 */

import { parseDesignText, readDesign } from './design.ts';
import type { LayerKind, RfStep } from './layer-kind.ts';
import { validateParams } from './params.ts';
import { getLayerKind } from './registry.ts';
import type {
  Analysis, AnalysisError, Design, DesignEdge, DesignNode, GroupAnalysis, NodeAnalysis, ReceptiveField, Shape,
} from './types.ts';

/** Resolved params of a node, or the messages that stop it. */
interface Checked {
  kind?: LayerKind;
  params?: Record<string, unknown>;
  problems: AnalysisError[];
}

interface CacheEntry {
  node: DesignNode;
  inputs: readonly NodeAnalysis[];
  result: NodeAnalysis;
  errors: AnalysisError[];
}

/** Results of a previous analysis, keyed by node id; reused when a node and its inputs are unchanged. */
export class AnalysisCache {
  entries = new Map<string, CacheEntry>();
  hits = 0;
}

export function nodeLabel(node: { kind: string; id: string }): string {
  return `${node.kind} '${node.id}'`;
}

function checkNode(node: DesignNode): Checked {
  const kind = getLayerKind(node.kind);
  if (!kind) {
    return { problems: [{ nodeId: node.id, field: 'kind', message: `${nodeLabel(node)}: unknown kind "${node.kind.slice(0, 40)}"` }] };
  }
  const { params, issues } = validateParams(kind.params, node.params);
  if (!params) {
    return { kind, problems: issues.map((i) => ({ nodeId: node.id, field: i.field, message: `${nodeLabel(node)}: ${i.message}` })) };
  }
  return { kind, params, problems: [] };
}

function blank(node: DesignNode, extra: Partial<NodeAnalysis> = {}): NodeAnalysis {
  const r: NodeAnalysis = {
    id: node.id, kind: node.kind, outputShape: null,
    params: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0, receptiveField: null, ...extra,
  };
  if (node.name !== undefined) r.name = node.name;
  return r;
}

/** Composes a layer's step onto the field of its input (Araujo et al. 2019, eq. for r, j and the left padding). */
export function composeRf(rf: ReceptiveField, step: RfStep): ReceptiveField {
  const axis = (a: 0 | 1) => ({
    size: rf.size[a] + (step.extent[a] - 1) * rf.stride[a],
    stride: rf.stride[a] * step.stride[a],
    padding: rf.padding[a] + step.padBefore[a] * rf.stride[a],
  });
  const h = axis(0);
  const w = axis(1);
  return { size: [h.size, w.size], stride: [h.stride, w.stride], padding: [h.padding, w.padding] };
}

const INPUT_RF: ReceptiveField = { size: [1, 1], stride: [1, 1], padding: [0, 0] };

/** The field a merge starts from: per axis, the path that sees the most (its stride and padding come along). */
function widestRf(fields: (ReceptiveField | null)[]): ReceptiveField | null {
  if (fields.length === 0 || fields.some((f) => f === null)) return null;
  const fs = fields as ReceptiveField[];
  const pick = (a: 0 | 1) => fs.reduce((best, f) => (f.size[a] > best.size[a] ? f : best), fs[0]);
  const h = pick(0);
  const w = pick(1);
  return { size: [h.size[0], w.size[1]], stride: [h.stride[0], w.stride[1]], padding: [h.padding[0], w.padding[1]] };
}

function inputsWord(n: number): string {
  return n === 1 ? 'one input' : `${n} inputs`;
}

/** Orders each node's incoming edges: `targetPort` where given, else file order. */
function orderInputs(edges: DesignEdge[]): Map<string, DesignEdge[]> {
  const byTarget = new Map<string, DesignEdge[]>();
  for (const e of edges) {
    const list = byTarget.get(e.target);
    if (list) list.push(e);
    else byTarget.set(e.target, [e]);
  }
  for (const list of byTarget.values()) {
    if (list.length > 1 && list.some((e) => e.targetPort !== undefined)) {
      // Stable: edges without a port keep file order after the numbered ones.
      list.sort((a, b) => (a.targetPort ?? Infinity) - (b.targetPort ?? Infinity));
    }
  }
  return byTarget;
}

/**
 * Analyses a design.
 * @example analyze(vgg16).totals.params // → 138357544
 */
export function analyze(design: Design, options: { issues?: AnalysisError[]; cache?: AnalysisCache } = {}): Analysis {
  const errors: AnalysisError[] = [...(options.issues ?? [])];
  const cache = options.cache;
  const nextCache = new Map<string, CacheEntry>();

  // Index nodes; a repeated id is an error on the repeat, which stays out of the graph.
  const nodeById = new Map<string, DesignNode>();
  const results = new Map<string, NodeAnalysis>();
  const order: NodeAnalysis[] = []; // output in file order
  const slots = new Map<DesignNode, number>();
  for (const node of design.nodes) {
    if (nodeById.has(node.id)) {
      const message = `${nodeLabel(node)}: duplicate id (another node is already called '${node.id}')`;
      errors.push({ nodeId: node.id, field: 'id', message });
      order.push(blank(node, { error: message }));
      continue;
    }
    nodeById.set(node.id, node);
    slots.set(node, order.length);
    order.push(blank(node)); // placeholder, replaced below
  }

  // Edges: drop dangling ones (an error naming the edge), keep the rest.
  const edges: DesignEdge[] = [];
  const edgeIds = new Set<string>();
  const brokenInput = new Map<string, string>(); // target id → message
  for (const e of design.edges) {
    if (edgeIds.has(e.id)) {
      errors.push({ edgeId: e.id, nodeId: e.target, message: `edge '${e.id}': duplicate id` });
      continue;
    }
    edgeIds.add(e.id);
    const missing = !nodeById.has(e.source) ? e.source : !nodeById.has(e.target) ? e.target : null;
    if (missing !== null) {
      const end = missing === e.source ? 'source' : 'target';
      const message = `edge '${e.id}': ${end} '${missing.slice(0, 64)}' is not a node of this design`;
      errors.push({ edgeId: e.id, ...(nodeById.has(e.target) ? { nodeId: e.target } : {}), field: end, message });
      if (nodeById.has(e.target)) brokenInput.set(e.target, `input edge '${e.id}' comes from '${e.source.slice(0, 64)}', which does not exist`);
      continue;
    }
    edges.push(e);
  }
  const inputsOf = orderInputs(edges);

  // Kahn's algorithm over the valid edges, in file order for determinism.
  const indegree = new Map<string, number>();
  const outgoing = new Map<string, string[]>();
  for (const id of nodeById.keys()) indegree.set(id, 0);
  for (const e of edges) {
    indegree.set(e.target, indegree.get(e.target)! + 1);
    const out = outgoing.get(e.source);
    if (out) out.push(e.target);
    else outgoing.set(e.source, [e.target]);
  }
  const queue: string[] = [];
  for (const [id, d] of indegree) if (d === 0) queue.push(id);
  const topo: string[] = [];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    topo.push(id);
    for (const t of outgoing.get(id) ?? []) {
      const d = indegree.get(t)! - 1;
      indegree.set(t, d);
      if (d === 0) queue.push(t);
    }
  }
  const cyclic = topo.length < nodeById.size ? findCycles(nodeById, indegree, outgoing) : new Map<string, string>();

  for (const id of topo) {
    const node = nodeById.get(id)!;
    const inputEdges = inputsOf.get(id) ?? [];
    const inputs = inputEdges.map((e) => results.get(e.source)!);
    const hit = cache?.entries.get(id);
    let entry: CacheEntry;
    if (hit && hit.node === node && !brokenInput.has(id) && sameInputs(hit.inputs, inputs)) {
      entry = hit;
      cache!.hits++;
    } else {
      const { result, errors: own } = analyzeNode(node, inputEdges, inputs, brokenInput.get(id));
      entry = { node, inputs, result, errors: own };
    }
    nextCache.set(id, entry);
    results.set(id, entry.result);
    order[slots.get(node)!] = entry.result;
    errors.push(...entry.errors);
  }

  // Nodes on a cycle, then everything downstream of one.
  for (const [id, message] of cyclic) {
    const node = nodeById.get(id)!;
    errors.push({ nodeId: id, message });
    const r = blank(node, { error: message });
    results.set(id, r);
    order[slots.get(node)!] = r;
  }
  for (const [id, node] of nodeById) {
    if (results.has(id)) continue;
    const r = blank(node, { blockedBy: blockerOf(id, inputsOf, cyclic) });
    results.set(id, r);
    order[slots.get(node)!] = r;
  }

  if (cache) cache.entries = nextCache;
  return {
    name: design.name,
    valid: errors.length === 0,
    errors,
    totals: sumTotals(order),
    nodes: order,
    groups: groupTotals(design, order),
  };
}

function sameInputs(a: readonly NodeAnalysis[], b: readonly NodeAnalysis[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function analyzeNode(
  node: DesignNode, inputEdges: DesignEdge[], inputs: NodeAnalysis[], broken: string | undefined,
): { result: NodeAnalysis; errors: AnalysisError[] } {
  const fail = (message: string, field?: string) => {
    const full = `${nodeLabel(node)}: ${message}`;
    return { result: blank(node, { error: full }), errors: [{ nodeId: node.id, ...(field ? { field } : {}), message: full }] };
  };
  const checked = checkNode(node);
  if (checked.problems.length) {
    return { result: blank(node, { error: checked.problems.map((p) => p.message).join('; ') }), errors: checked.problems };
  }
  const kind = checked.kind!;
  const params = checked.params!;
  if (broken) return fail(broken);

  const n = inputs.length;
  const { min, max } = kind.arity;
  if (max === 0 && n > 0) return fail(`an input node takes no inputs, but ${n} edge${n > 1 ? 's' : ''} lead${n > 1 ? '' : 's'} into it`);
  if (n < min) {
    return fail(n === 0 ? `needs ${min === 1 ? 'an input' : `at least ${min} inputs`}; connect one` : `needs at least ${inputsWord(min)}, got ${n}`);
  }
  if (n > max) {
    return fail(`takes ${inputsWord(max)}, got ${n} (from ${inputEdges.map((e) => `'${e.source}'`).join(', ')}); merge them with add or concat first`);
  }
  const ports = inputEdges.map((e) => e.targetPort).filter((p): p is number => p !== undefined);
  if (new Set(ports).size !== ports.length) return fail('two input edges name the same targetPort', 'targetPort');

  const failed = inputs.find((r) => r.outputShape === null);
  if (failed) {
    return { result: blank(node, { blockedBy: failed.blockedBy ?? failed.id, inputShapes: inputs.map((r) => r.outputShape) }), errors: [] };
  }
  const inputShapes = inputs.map((r) => r.outputShape as Shape);
  const out = kind.outputShape(inputShapes, params);
  if (typeof out === 'string') {
    const r = fail(out);
    r.result.inputShapes = inputShapes;
    return r;
  }
  const ctx = { params, inputs: inputShapes, output: out };
  const counts = kind.counts(ctx);
  const numbers = [counts.trainable, counts.nonTrainable, counts.macs, counts.trainable + counts.nonTrainable];
  if (!numbers.every(Number.isSafeInteger)) {
    return fail('its parameter or MAC count is beyond 2^53, too large to count exactly; reduce its size');
  }
  const step = kind.receptiveField(ctx);
  let rf: ReceptiveField | null = null;
  if (step !== 'none') {
    const base = n === 0 ? INPUT_RF : widestRf(inputs.map((r) => r.receptiveField));
    rf = base && composeRf(base, step);
  }
  const result = blank(node, {
    outputShape: out,
    params: counts.trainable + counts.nonTrainable,
    trainableParams: counts.trainable,
    nonTrainableParams: counts.nonTrainable,
    macs: counts.macs,
    receptiveField: rf,
    inputShapes,
  });
  return { result, errors: [] };
}

/** Nodes Kahn's algorithm left behind are on a cycle or downstream of one; names each cycle's path. */
function findCycles(
  nodeById: Map<string, DesignNode>, indegree: Map<string, number>, outgoing: Map<string, string[]>,
): Map<string, string> {
  const left = new Set([...indegree].filter(([, d]) => d > 0).map(([id]) => id));
  // Peel off nodes that lead nowhere inside `left`: what remains is on (or between) cycles.
  const outCount = new Map<string, number>();
  const incoming = new Map<string, string[]>();
  for (const id of left) {
    const outs = (outgoing.get(id) ?? []).filter((t) => left.has(t));
    outCount.set(id, outs.length);
    for (const t of outs) {
      const l = incoming.get(t);
      if (l) l.push(id);
      else incoming.set(t, [id]);
    }
  }
  const stack = [...left].filter((id) => outCount.get(id) === 0);
  while (stack.length) {
    const id = stack.pop()!;
    left.delete(id);
    for (const s of incoming.get(id) ?? []) {
      if (!left.has(s)) continue;
      const c = outCount.get(s)! - 1;
      outCount.set(s, c);
      if (c === 0) stack.push(s);
    }
  }
  const messages = new Map<string, string>();
  for (const start of left) {
    if (messages.has(start)) continue;
    // Walk inside `left` until a node repeats: that loop is a cycle to name.
    const seen = new Map<string, number>();
    const path: string[] = [];
    let cur = start;
    while (!seen.has(cur)) {
      seen.set(cur, path.length);
      path.push(cur);
      cur = (outgoing.get(cur) ?? []).find((t) => left.has(t))!;
    }
    const loop = path.slice(seen.get(cur)!);
    const text = [...loop, cur].map((id) => `'${id}'`).join(' → ');
    for (const id of loop) {
      if (!messages.has(id)) messages.set(id, `${nodeLabel(nodeById.get(id)!)}: is part of a cycle ${text}; a network must flow one way`);
    }
  }
  for (const id of left) {
    if (!messages.has(id)) messages.set(id, `${nodeLabel(nodeById.get(id)!)}: lies between cycles; a network must flow one way`);
  }
  return messages;
}

function blockerOf(id: string, inputsOf: Map<string, DesignEdge[]>, cyclic: Map<string, string>): string | undefined {
  // Walk up until a cyclic node is found (iteratively: graphs may be deep).
  const seen = new Set<string>([id]);
  const stack = [id];
  while (stack.length) {
    const cur = stack.pop()!;
    for (const e of inputsOf.get(cur) ?? []) {
      if (cyclic.has(e.source)) return e.source;
      if (!seen.has(e.source)) {
        seen.add(e.source);
        stack.push(e.source);
      }
    }
  }
  return undefined;
}

function sumTotals(nodes: NodeAnalysis[]) {
  const t = { params: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0 };
  for (const n of nodes) {
    t.params += n.params;
    t.trainableParams += n.trainableParams;
    t.nonTrainableParams += n.nonTrainableParams;
    t.macs += n.macs;
  }
  return t;
}

function groupTotals(design: Design, nodes: NodeAnalysis[]): GroupAnalysis[] {
  const groups = design.groups ?? [];
  if (!groups.length) return [];
  const byId = new Map<string, GroupAnalysis>();
  for (const g of groups) {
    const ga: GroupAnalysis = { id: g.id, kind: g.kind, params: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0, nodeCount: 0 };
    if (g.label !== undefined) ga.label = g.label;
    byId.set(g.id, ga);
  }
  design.nodes.forEach((node, i) => {
    const g = node.group === undefined ? undefined : byId.get(node.group);
    const n = nodes[i];
    if (!g || !n || n.id !== node.id) return;
    g.params += n.params;
    g.trainableParams += n.trainableParams;
    g.nonTrainableParams += n.nonTrainableParams;
    g.macs += n.macs;
    g.nodeCount++;
  });
  return [...byId.values()];
}

/** Any JSON value → analysis, or the fatal reason it is not a design. */
export function analyzeJson(raw: unknown): { ok: true; analysis: Analysis; design: Design } | { ok: false; error: string } {
  const read = readDesign(raw);
  if (!read.ok) return read;
  return { ok: true, analysis: analyze(read.design, { issues: read.issues }), design: read.design };
}

/** JSON text → analysis, or the fatal reason (syntax error, not a design). */
export function analyzeText(text: string): { ok: true; analysis: Analysis; design: Design } | { ok: false; error: string } {
  const read = parseDesignText(text);
  if (!read.ok) return read;
  return { ok: true, analysis: analyze(read.design, { issues: read.issues }), design: read.design };
}
