/**
 * Analysis (docs/analysis.md): output shapes, parameter counts, MACs and receptive fields for every node.
 *
 * Linear in nodes + edges. An error on one node marks it and its descendants (outputShape null, numbers 0)
 * and every other node is still analysed. Pass the previous run's `AnalysisCache` to reuse the results of
 * nodes whose definition and inputs did not change (the editor does this on every keystroke).
 */

import { formatInt } from '../contract/format.ts';
import { edgeName, edgePlace, orderInputs, parseDesignText, readDesign } from '../contract/design.ts';
import { outputsErrors } from '../contract/outputs.ts';
import type { LayerKind } from '../contract/layer-kind.ts';
import { ParamsMemo } from '../contract/params.ts';
import { getLayerKind } from './registry.ts';
import { composeRf, INPUT_RF, mergeRf } from './receptive-field.ts';
import type {
  Analysis, AnalysisError, Design, DesignEdge, DesignNode, GroupAnalysis, NodeAnalysis, ReceptiveField, Shape,
} from '../contract/types.ts';

/** Resolved params of a node, or the messages that stop it. */
interface Checked {
  kind?: LayerKind;
  params?: Record<string, unknown>;
  problems: AnalysisError[];
}

/**
 * The wiring of a design, resolved to node positions: reused as long as the ids and the edges stay the same
 * (a parameter edit changes neither), so an edit costs one pass of cheap comparisons plus the nodes it reaches.
 */
interface Structure {
  edges: DesignEdge[];
  ids: string[];
  /** per node position: the positions of its inputs, in port order, and the edges they come through */
  inputs: number[][];
  inputEdges: DesignEdge[][];
  /** positions in topological order (duplicates and nodes on or after a cycle left out) */
  topo: number[];
  /** position → message for nodes on a cycle; position → upstream cyclic id for nodes after one */
  cyclic: Map<number, string>;
  blocked: Map<number, string | undefined>;
  duplicates: Map<number, string>;
  brokenInput: Map<number, string>;
  /** position → why its input ports break the input-order rule (docs/design-format.md#input-order) */
  portProblem: Map<number, string>;
  errors: AnalysisError[];
}

/** Results of a previous analysis; pass it back in to reuse what an edit did not reach. */
export class AnalysisCache {
  structure: Structure | null = null;
  nodes: DesignNode[] = [];
  results: NodeAnalysis[] = [];
  errors: AnalysisError[][] = [];
  /** how many node results the last run reused (for tests and benchmarks) */
  hits = 0;
}

/**
 * How messages name a node: its kind and id, e.g. `conv2d 'c7'`.
 * @example nodeLabel({ kind: 'conv2d', id: 'c7' }) // → "conv2d 'c7'"
 */
export function nodeLabel(node: { kind: string; id: string }): string {
  return `${node.kind} '${node.id}'`;
}

/** Per list of nodes, the first node of each id (built once per design, on the first error formatted). */
const nodesByIdOf = new WeakMap<readonly LabelledNode[], Map<string, LabelledNode>>();

/** What a label needs of a node: a design's node or an analysis' node row both have it. */
type LabelledNode = { id: string; kind: string };

/**
 * An error as a person reads it where a list of errors is shown (the CLI, the editor's Errors tab, a compile
 * error): an error about a node gets the node's label in front (`conv2d 'c7': kernel 9×9 is larger than its
 * 7×7 input`); an error about an edge (`edgeId` or `edgeIndex`), a group or the whole design already names its
 * subject in its message and is returned as it is. Where the node is shown already (its inspector, its box in
 * the SVG) the bare `message` is enough.
 * @param design the design the analysis was made of, or the analysis itself (the label needs the node's kind)
 * @example formatError({ nodeId: 'c7', message: 'needs an input; connect one' }, design) // → "conv2d 'c7': needs an input; connect one"
 */
export function formatError(error: AnalysisError, design: { nodes: readonly LabelledNode[] }): string {
  if (error.nodeId === undefined || error.edgeId !== undefined || error.edgeIndex !== undefined) return error.message;
  let byId = nodesByIdOf.get(design.nodes);
  if (!byId) {
    byId = new Map();
    for (const n of design.nodes) if (!byId.has(n.id)) byId.set(n.id, n);
    nodesByIdOf.set(design.nodes, byId);
  }
  const node = byId.get(error.nodeId);
  const kind = node && typeof node.kind === 'string' ? node.kind : 'node';
  return `${nodeLabel({ kind, id: error.nodeId })}: ${error.message}`;
}

/**
 * The params each analysed row's node validated to (`validateParams`: defaults filled, int2 as `[h, w]`), kept
 * beside the row so that `resolve` reads what the analysis checked instead of validating every node again.
 */
/**
 * A row the analysis computed, with the params its node validated to (`validateParams`: defaults filled, int2 as
 * `[h, w]`) kept beside it in private fields, so that `resolve` reads what the analysis checked instead of validating
 * every node again. JSON, spreads, `structuredClone` and equality in tests see the row's own fields only. (A WeakMap
 * entry per row cost its ephemeron table on every collection, a non-enumerable property a runtime call per row.)
 * The fields are assigned in the order the contract's JSON lists them.
 */
class ComputedRow implements NodeAnalysis {
  declare id: string;
  declare kind: string;
  declare inputs: string[];
  declare outputShape: Shape;
  declare params: number;
  declare trainableParams: number;
  declare nonTrainableParams: number;
  declare macs: number;
  declare receptiveField: ReceptiveField | null;
  declare inputShapes: Shape[];
  declare innerOutputs?: Shape[];
  declare name?: string;
  readonly #node: DesignNode;
  readonly #validated: Record<string, unknown>;

  constructor(
    node: DesignNode, inputs: string[], outputShape: Shape, counts: { trainable: number; nonTrainable: number; macs: number },
    receptiveField: ReceptiveField | null, inputShapes: Shape[], validated: Record<string, unknown>,
  ) {
    this.id = node.id;
    this.kind = node.kind;
    this.inputs = inputs;
    this.outputShape = outputShape;
    this.params = counts.trainable + counts.nonTrainable;
    this.trainableParams = counts.trainable;
    this.nonTrainableParams = counts.nonTrainable;
    this.macs = counts.macs;
    this.receptiveField = receptiveField;
    this.inputShapes = inputShapes;
    this.#node = node;
    this.#validated = validated;
  }

  /** The validated params where `row` is a row this analysis computed for that very node object. */
  static validatedFor(row: NodeAnalysis, node: DesignNode): Record<string, unknown> | undefined {
    return row instanceof ComputedRow && row.#node === node ? row.#validated : undefined;
  }
}

/**
 * Whether the analysis lists the design's nodes in file order, row i for node i: what `analyze` gives. Who walks
 * both by position checks this first and matches rows by id otherwise (an analysis of another origin).
 */
export function rowsInDesignOrder(design: Pick<Design, 'nodes'>, analysis: Pick<Analysis, 'nodes'>): boolean {
  const nodes = design.nodes;
  const rows = analysis.nodes;
  if (rows.length !== nodes.length) return false;
  for (let i = 0; i < nodes.length; i++) if (rows[i].id !== nodes[i].id) return false;
  return true;
}

/**
 * The validated params of `node` where `row` is the row the analysis computed for that very node object, else
 * undefined (a row of another design, or of an earlier version of the node).
 */
export function validatedParams(row: NodeAnalysis, node: DesignNode): Record<string, unknown> | undefined {
  return ComputedRow.validatedFor(row, node);
}

function checkNode(node: DesignNode, memo: ParamsMemo): Checked {
  const kind = getLayerKind(node.kind);
  if (!kind) {
    return { problems: [{ nodeId: node.id, field: 'kind', message: `unknown kind "${node.kind.slice(0, 40)}"` }] };
  }
  const { params, issues } = memo.validate(kind.params, node.params);
  if (!params) {
    return { kind, problems: issues.map((i) => ({ nodeId: node.id, field: i.field, message: i.message })) };
  }
  return { kind, params, problems: [] };
}

function blank(node: DesignNode, inputs: string[], extra: Partial<NodeAnalysis> = {}): NodeAnalysis {
  const r: NodeAnalysis = {
    id: node.id, kind: node.kind, inputs, outputShape: null,
    params: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0, receptiveField: null, ...extra,
  };
  if (node.name !== undefined) r.name = node.name;
  return r;
}

function inputsWord(n: number): string {
  return n === 1 ? 'one input' : `${n} inputs`;
}

/** Orders each node's incoming edges: `targetPort` where given, else file order. */
function buildStructure(design: Design): Structure {
  const nodes = design.nodes;
  const n = nodes.length;
  const errors: AnalysisError[] = [];
  const index = new Map<string, number>();
  const duplicates = new Map<number, string>();
  const ids: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const node = nodes[i];
    ids[i] = node.id;
    if (index.has(node.id)) {
      const message = `duplicate id (another node is already called '${node.id}')`;
      errors.push({ nodeId: node.id, field: 'id', message });
      duplicates.set(i, message);
    } else index.set(node.id, i);
  }

  // Edges: drop dangling ones (an error naming the edge), keep the rest. Each node's list is made at its size.
  const designEdges = design.edges;
  const m = designEdges.length;
  const targetOf = new Int32Array(m).fill(-1);
  const indegree = new Int32Array(n);
  const edgeIds = new Set<string>();
  const brokenInput = new Map<number, string>();
  const portProblem = new Map<number, string>();
  for (let k = 0; k < m; k++) {
    const e = designEdges[k];
    if (e.id !== undefined) {
      // reported, and still wired: dropping it would give its target a second, misleading error
      if (edgeIds.has(e.id)) errors.push({ edgeId: e.id, edgeIndex: edgePlace(e, k), nodeId: e.target, field: 'id', message: `edge '${e.id}': duplicate id` });
      edgeIds.add(e.id);
    }
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined) {
      const end = s === undefined ? 'source' : 'target';
      const missing = s === undefined ? e.source : e.target;
      const name = edgeName(e, k);
      const message = `${name}: ${end} '${missing.slice(0, 64)}' is not a node of this design`;
      // the error names the edge by id, and the end that exists as its node
      const nodeId = t !== undefined ? e.target : s !== undefined ? e.source : undefined;
      errors.push({ ...(e.id !== undefined ? { edgeId: e.id } : {}), edgeIndex: edgePlace(e, k), ...(nodeId !== undefined ? { nodeId } : {}), field: end, message });
      if (t !== undefined) brokenInput.set(t, `input ${name} comes from '${e.source.slice(0, 64)}', which does not exist`);
      continue;
    }
    targetOf[k] = t;
    indegree[t]++;
  }
  const inputEdges: DesignEdge[][] = new Array(n);
  for (let t = 0; t < n; t++) inputEdges[t] = new Array(indegree[t]);
  const filled = new Int32Array(n);
  for (let k = 0; k < m; k++) {
    const t = targetOf[k];
    if (t >= 0) inputEdges[t][filled[t]++] = designEdges[k];
  }
  // each node's inputs in port order, as positions; the consumers of each node (outStart/outList, in the order
  // the inputs are listed, target by target) for Kahn's algorithm
  const inputs: number[][] = new Array(n);
  const outCount = new Int32Array(n + 1);
  for (let t = 0; t < n; t++) {
    let list = inputEdges[t];
    // one edge without a port is in order as it is (orderInputs would return it unchanged)
    if (list.length > 1 || (list.length === 1 && list[0].targetPort !== undefined)) {
      const { ordered, problem } = orderInputs(list);
      inputEdges[t] = list = ordered;
      if (problem) portProblem.set(t, problem);
    }
    const srcs = new Array<number>(list.length);
    for (let k = 0; k < list.length; k++) {
      const s = index.get(list[k].source)!;
      srcs[k] = s;
      outCount[s + 1]++;
    }
    inputs[t] = srcs;
  }
  const outStart = outCount; // prefix sums: node s's consumers are outList[outStart[s] … outStart[s + 1])
  for (let i = 0; i < n; i++) outStart[i + 1] += outStart[i];
  const outList = new Int32Array(outStart[n]);
  const cursor = outStart.slice(0, n);
  for (let t = 0; t < n; t++) {
    const srcs = inputs[t];
    for (let k = 0; k < srcs.length; k++) outList[cursor[srcs[k]]++] = t;
  }

  // Kahn's algorithm, seeded in file order for determinism. Duplicates stay out of the graph.
  const topo: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0 && !duplicates.has(i)) topo.push(i);
  for (let head = 0; head < topo.length; head++) {
    const v = topo[head];
    for (let j = outStart[v]; j < outStart[v + 1]; j++) {
      const t = outList[j];
      if (--indegree[t] === 0) topo.push(t);
    }
  }
  const cyclic = new Map<number, string>();
  const blocked = new Map<number, string | undefined>();
  if (topo.length + duplicates.size < n) {
    const left = new Set<number>();
    for (let i = 0; i < n; i++) if (indegree[i] > 0 && !duplicates.has(i)) left.add(i);
    const outgoing: number[][] = new Array(n);
    for (let i = 0; i < n; i++) outgoing[i] = Array.from(outList.subarray(outStart[i], outStart[i + 1]));
    for (const [i, message] of findCycles(nodes, left, outgoing)) {
      cyclic.set(i, message);
      errors.push({ nodeId: nodes[i].id, message });
    }
    for (const i of left) if (!cyclic.has(i)) blocked.set(i, blockerOf(i, inputs, cyclic, ids));
  }
  return { edges: design.edges, ids, inputs, inputEdges, topo, cyclic, blocked, duplicates, brokenInput, portProblem, errors };
}

/** The previous structure still holds when the edges are the same list and the ids the same in order. */
function sameStructure(s: Structure | null, design: Design): s is Structure {
  if (!s || s.edges !== design.edges || s.ids.length !== design.nodes.length) return false;
  const nodes = design.nodes;
  for (let i = 0; i < nodes.length; i++) if (nodes[i].id !== s.ids[i]) return false;
  return true;
}

/**
 * Analyses a design.
 * @example analyze(vgg16).totals.params // → 138357544
 */
export function analyze(design: Design, options: { issues?: AnalysisError[]; cache?: AnalysisCache } = {}): Analysis {
  const cache = options.cache;
  const nodes = design.nodes;
  const n = nodes.length;
  const reuse = cache !== undefined && sameStructure(cache.structure, design);
  const st = reuse ? cache.structure! : buildStructure(design);

  const results: NodeAnalysis[] = new Array(n);
  const nodeErrors: AnalysisError[][] = new Array(n);
  const fresh = new Uint8Array(n); // 1 where the result was recomputed this run
  const memo = new ParamsMemo();
  let hits = 0;
  const topo = st.topo;
  for (let k = 0; k < topo.length; k++) {
    const i = topo[k];
    const node = nodes[i];
    const srcs = st.inputs[i];
    if (reuse && cache.nodes[i] === node && srcs.every((s) => !fresh[s])) {
      results[i] = cache.results[i];
      nodeErrors[i] = cache.errors[i];
      hits++;
      continue;
    }
    const inputs = new Array<NodeAnalysis>(srcs.length);
    for (let k = 0; k < srcs.length; k++) inputs[k] = results[srcs[k]];
    const r = analyzeNode(node, st.inputEdges[i], inputs, st.brokenInput.get(i), st.portProblem.get(i), memo);
    results[i] = r.result;
    nodeErrors[i] = r.errors;
    fresh[i] = 1;
  }
  const inputIds = (i: number) => st.inputs[i].map((s) => st.ids[s]);
  for (const [i, message] of st.duplicates) results[i] = blank(nodes[i], [], { error: message });
  for (const [i, message] of st.cyclic) results[i] = blank(nodes[i], inputIds(i), { error: message });
  for (const [i, by] of st.blocked) results[i] = blank(nodes[i], inputIds(i), by === undefined ? {} : { blockedBy: by });

  // the outputs list is checked on every run: it is not part of the cached structure (edges and ids only)
  const errors: AnalysisError[] = [...(options.issues ?? []), ...st.errors, ...outputsErrors(design)];
  for (let k = 0; k < topo.length; k++) if (nodeErrors[topo[k]].length) errors.push(...nodeErrors[topo[k]]);

  if (cache) {
    cache.structure = st;
    cache.nodes = nodes.slice();
    cache.results = results;
    cache.errors = nodeErrors;
    cache.hits = hits;
  }
  return {
    name: design.name,
    valid: errors.length === 0,
    errors,
    totals: sumTotals(results),
    nodes: results,
    groups: groupTotals(design, results),
  };
}

/** A node that cannot be computed: its error (the message without the node's label) and its blank result. */
function failed(node: DesignNode, inputIds: string[], message: string, field?: string, inputShapes?: (Shape | null)[]) {
  const error: AnalysisError = { nodeId: node.id, message };
  if (field) error.field = field;
  const result = blank(node, inputIds, { error: message });
  if (inputShapes) result.inputShapes = inputShapes;
  return { result, errors: [error] };
}

/** What is wrong with the number or the ports of a node's inputs, if anything. */
function wiringProblem(kind: LayerKind, inputEdges: DesignEdge[]): string | null {
  const n = inputEdges.length;
  const { min, max } = kind.arity;
  if (max === 0 && n > 0) return `an input node takes no inputs, but ${n} edge${n > 1 ? 's' : ''} lead${n > 1 ? '' : 's'} into it`;
  if (n < min) return n === 0 ? `needs ${min === 1 ? 'an input' : `at least ${min} inputs`}; connect one` : `needs at least ${inputsWord(min)}, got ${n}`;
  if (n > max) return `takes ${inputsWord(max)}, got ${n} (from ${inputEdges.map((e) => `'${e.source}'`).join(', ')}); merge them with add or concat first`;
  return null;
}

/**
 * Whether a merge's input of shape `s` is broadcast over the output's H×W (a `[C]` or `[1, 1, C]` gate of a larger
 * map): every output unit then reads its one unit, whose window does not move with the unit's position, so the
 * merge takes it as a global path (docs/receptive-field.md#global-paths); a gate from a global pooling has no
 * field anyway.
 */
function broadcast(s: Shape, out: Shape): boolean {
  if (out.length !== 3 || (out[0] === 1 && out[1] === 1)) return false;
  return s.length === 1 || (s[0] === 1 && s[1] === 1);
}

/** One node from its inputs' results. The common path allocates little: it runs for every node on every edit. */
function analyzeNode(
  node: DesignNode, inputEdges: DesignEdge[], inputs: NodeAnalysis[], broken: string | undefined, portProblem: string | undefined,
  memo: ParamsMemo,
): { result: NodeAnalysis; errors: AnalysisError[] } {
  const inputIds = new Array<string>(inputEdges.length);
  for (let k = 0; k < inputEdges.length; k++) inputIds[k] = inputEdges[k].source;
  const checked = checkNode(node, memo);
  if (checked.problems.length) {
    return { result: blank(node, inputIds, { error: checked.problems.map((p) => p.message).join('; ') }), errors: checked.problems };
  }
  const kind = checked.kind!;
  const params = checked.params!;
  if (broken) return failed(node, inputIds, broken);
  const wiring = wiringProblem(kind, inputEdges);
  if (wiring) return failed(node, inputIds, wiring);
  if (portProblem) return failed(node, inputIds, portProblem, 'targetPort');

  const n = inputs.length;
  const inputShapes: Shape[] = new Array(n);
  let upstream: NodeAnalysis | null = null;
  for (let k = 0; k < n; k++) {
    const shape = inputs[k].outputShape;
    if (shape === null && upstream === null) upstream = inputs[k];
    inputShapes[k] = shape as Shape;
  }
  if (upstream) {
    return { result: blank(node, inputIds, { blockedBy: upstream.blockedBy ?? upstream.id, inputShapes }), errors: [] };
  }
  const out = kind.outputShape(inputShapes, params);
  if (typeof out === 'string') return failed(node, inputIds, out, undefined, inputShapes);
  const ctx = { params, inputs: inputShapes, output: out };
  const counts = kind.counts(ctx);
  const total = counts.trainable + counts.nonTrainable;
  if (!Number.isSafeInteger(total) || !Number.isSafeInteger(counts.macs)) {
    return failed(node, inputIds, 'its parameter or MAC count is beyond 2^53, too large to count exactly; reduce its size', undefined, inputShapes);
  }
  const step = kind.receptiveField(ctx);
  let rf: ReceptiveField | null = null;
  if (step !== 'none') {
    const base = n === 0 ? INPUT_RF : n === 1 ? inputs[0].receptiveField
      : mergeRf(inputs.map((r, k) => (broadcast(inputShapes[k], out) ? null : r.receptiveField)));
    rf = base && composeRf(base, step);
  }
  const result = new ComputedRow(node, inputIds, out, counts, rf, inputShapes, params);
  if (kind.innerOutputs && total > 0) result.innerOutputs = kind.innerOutputs(ctx);
  if (node.name !== undefined) result.name = node.name;
  return { result, errors: NO_ERRORS };
}

const NO_ERRORS: AnalysisError[] = [];

/** Nodes Kahn's algorithm left behind are on a cycle or downstream of one; names each cycle's path. */
function findCycles(nodes: DesignNode[], left: Set<number>, outgoing: number[][]): Map<number, string> {
  const remaining = new Set(left);
  // Peel off nodes that lead nowhere inside the set: what remains is on (or between) cycles.
  const outCount = new Map<number, number>();
  const incoming = new Map<number, number[]>();
  for (const i of remaining) {
    const outs = outgoing[i].filter((t) => remaining.has(t));
    outCount.set(i, outs.length);
    for (const t of outs) {
      const l = incoming.get(t);
      if (l) l.push(i);
      else incoming.set(t, [i]);
    }
  }
  const stack = [...remaining].filter((i) => outCount.get(i) === 0);
  while (stack.length) {
    const i = stack.pop()!;
    remaining.delete(i);
    for (const s of incoming.get(i) ?? []) {
      if (!remaining.has(s)) continue;
      const c = outCount.get(s)! - 1;
      outCount.set(s, c);
      if (c === 0) stack.push(s);
    }
  }
  // Each cycle is named once, on its first node, with its length and at most 7 of its ids; every other node on
  // it points to that node. (Repeating the whole path in every node's message made a 10,000-node cycle cost
  // 10,000 × 10,000 ids: gigabytes.)
  const messages = new Map<number, string>();
  for (const start of remaining) {
    if (messages.has(start)) continue;
    // Walk inside the set until a node repeats (a new cycle) or a node already named (a path between cycles).
    const seen = new Map<number, number>();
    const path: number[] = [];
    let cur = start;
    while (!seen.has(cur) && !messages.has(cur)) {
      seen.set(cur, path.length);
      path.push(cur);
      cur = outgoing[cur].find((t) => remaining.has(t))!;
    }
    if (messages.has(cur)) continue;
    const loop = path.slice(seen.get(cur)!);
    const shown = loop.length <= 7 ? [...loop, cur] : [...loop.slice(0, 4), -1, ...loop.slice(-2), cur];
    const text = shown.map((i) => (i < 0 ? '…' : `'${nodes[i].id}'`)).join(' → ');
    const size = loop.length === 1 ? '1 layer' : `${formatInt(loop.length)} layers`;
    messages.set(loop[0], `is part of a cycle ${text} (${size}); a network must flow one way`);
    for (const i of loop.slice(1)) {
      messages.set(i, `is part of the cycle through '${nodes[loop[0]].id}' (${size}); a network must flow one way`);
    }
  }
  for (const i of remaining) {
    if (!messages.has(i)) messages.set(i, `lies between cycles; a network must flow one way`);
  }
  return messages;
}

function blockerOf(start: number, inputs: number[][], cyclic: Map<number, string>, ids: string[]): string | undefined {
  // Walk up until a cyclic node is found (iteratively: graphs may be deep).
  const seen = new Set<number>([start]);
  const stack = [start];
  while (stack.length) {
    const cur = stack.pop()!;
    for (const s of inputs[cur]) {
      if (cyclic.has(s)) return ids[s];
      if (!seen.has(s)) {
        seen.add(s);
        stack.push(s);
      }
    }
  }
  return undefined;
}

function sumTotals(nodes: NodeAnalysis[]) {
  const t = { params: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0 };
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
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

/**
 * The rows of the nodes `ids` of `design` alone, each computed from its inputs' rows exactly as `analyze` computes
 * it: an input outside `ids` is read from `rowOf` (the rows of a design `design` was made from, where those nodes are
 * unchanged). For the advice's rewrites, which replace one node by a short chain (engine/rewrite-analysis.ts).
 * Null where the nodes cannot be analysed apart: an id missing or twice in the design, a cycle among them, or an
 * input whose row `rowOf` lacks.
 * @example analyzeNodes(rewritten, ['conv5x5_3x3_1', 'conv5x5'], (id) => before.get(id))?.rows.get('conv5x5')?.params
 */
export function analyzeNodes(
  design: Design, ids: readonly string[], rowOf: (id: string) => NodeAnalysis | undefined,
): { rows: Map<string, NodeAnalysis>; errors: AnalysisError[] } | null {
  const wanted = new Set(ids);
  const nodes = new Map<string, DesignNode>();
  for (const n of design.nodes) {
    if (!wanted.has(n.id)) continue;
    if (nodes.has(n.id)) return null;
    nodes.set(n.id, n);
  }
  if (nodes.size !== wanted.size) return null;
  const into = new Map<string, DesignEdge[]>();
  for (const e of design.edges) if (wanted.has(e.target)) into.set(e.target, [...(into.get(e.target) ?? []), e]);
  const rows = new Map<string, NodeAnalysis>();
  const errors: AnalysisError[] = [];
  // the few nodes in an order where each comes after its inputs among them (a cycle among them: no order)
  const left = [...wanted];
  while (left.length) {
    const k = left.findIndex((id) => (into.get(id) ?? []).every((e) => !wanted.has(e.source) || rows.has(e.source)));
    if (k < 0) return null;
    const id = left.splice(k, 1)[0];
    const { ordered, problem } = orderInputs(into.get(id) ?? []);
    const inputs: NodeAnalysis[] = [];
    for (const e of ordered) {
      const row = wanted.has(e.source) ? rows.get(e.source) : rowOf(e.source);
      if (!row) return null;
      inputs.push(row);
    }
    const r = analyzeNode(nodes.get(id)!, ordered, inputs, undefined, problem, new ParamsMemo());
    rows.set(id, r.result);
    errors.push(...r.errors);
  }
  return { rows, errors };
}
