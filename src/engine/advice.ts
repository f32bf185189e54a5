/**
 * Advice (docs/advice.md#advice): the lessons of the classic CNNs, each with its exact saving. Every rule names a
 * rewrite of the design; the rewrite is made on a copy with the pure edits of `edits.ts` and the copy is
 * analysed, so `paramsDelta` and `macsDelta` are (rewritten totals) − (this design's totals), never a formula
 * of their own. A rewrite never changes the shape of a tensor that leaves the rewritten nodes.
 *
 * Separate from `analyze()` (which runs on every keystroke). Each candidate costs what it touches: its rewrite is
 * made on a part of the design (the nodes it changes and the edges into them) and only those nodes are analysed
 * (rewrite-analysis.ts), so a design with a candidate on every layer costs linear time. The whole rewritten copy
 * is built only when asked for (`adviceAt`, or `adviseDetailed`'s `rewrites`).
 */

import { AnalysisCache, rowsInDesignOrder } from './analyze.ts';
import { branchOrders, type BranchOrderFinding } from './branch-order.ts';
import { analyzeRewrite, analyzeRewrittenNodes, type Rewrite, type RewriteAnalysis } from './rewrite-analysis.ts';
import { orderInputs, outputNodes } from '../contract/design.ts';
import { replaceByChain, insertBefore, replaceNode, setNodeParams, uniqueId, type NodeSpec } from './edits.ts';
import { formatBytes, formatInt, formatPair, formatSignedInt } from '../contract/format.ts';
import { int2Value, type PaddingValue } from '../contract/params.ts';
import { getLayerKind, hasBiasParam, isInputKind } from './registry.ts';
import { nodeParams, resolvedParams } from './resolve.ts';
// The one place outside src/kinds that names kinds, on purpose (docs/advice.md#which-kinds-the-rules-read): rules 1–3 and 5 are for named kinds
// (a `conv2d`; a `flatten` and the `dense` after it, replaced by a `globalAvgPool`; a consumer that is a `batchNorm`).
// A new kind is not advised by them unless the contract says so; each is compared with that kind's own definition.
import { batchNorm as batchNormKind } from '../kinds/batch-norm/kind.ts';
import { conv2d as conv2dKind } from '../kinds/conv2d/kind.ts';
import { conv2dTranspose as conv2dTransposeKind } from '../kinds/conv2d-transpose/kind.ts';
import { depthwiseConv2d as depthwiseConv2dKind } from '../kinds/depthwise-conv2d/kind.ts';
import { dense as denseKind } from '../kinds/dense/kind.ts';
import { flatten as flattenKind } from '../kinds/flatten/kind.ts';
import { globalAvgPool as globalAvgPoolKind } from '../kinds/global-pool/kind.ts';
import { upsample2d as upsample2dKind } from '../kinds/upsample2d/kind.ts';
import type { Analysis, Design, DesignEdge, DesignNode, NodeAnalysis } from '../contract/types.ts';
import type { Finding } from './finding.ts';

/** The rules (docs/advice.md#rules), in the order advice lists them: the contract's five, then MobileNet's, the checkerboard and the branch order. */
export const ADVICE_RULES = [
  'factorize-kernel', 'bottleneck-1x1', 'global-pool-head', 'bias-before-batchnorm', 'receptive-field-coverage',
  'depthwise-separable', 'checkerboard', 'branch-order',
] as const;
export type AdviceRule = (typeof ADVICE_RULES)[number];

/** One advice item exactly as the contract's `advice` list holds it. */
export interface Advice {
  nodeId: string;
  rule: AdviceRule;
  message: string;
  /** rewritten design's total params − this design's (0 for `receptive-field-coverage`) */
  paramsDelta: number;
  /** rewritten design's total MACs − this design's */
  macsDelta: number;
}

/**
 * An advice item with what the editor needs to show and apply it: a `Finding` (finding.ts), as a quick fix is,
 * with the lesson and its saving.
 */
export interface AdviceDetail extends Advice, Finding {
  /** the lesson in one sentence */
  lesson: string;
  /** the saving, e.g. "−28,608 params (−28% of conv5x5, −16% of the network), −89,915,392 MACs, same receptive field"; "" for rule 5 */
  saving: string;
  /**
   * the rewritten copy of the design, where it was asked for (`adviceAt`; `adviseDetailed` with `rewrites`); null
   * otherwise, and always for `receptive-field-coverage`, which rewrites nothing
   */
  rewrite: Design | null;
  /** ids of this design's nodes the rewrite changes (kind or params, or whose input changes size) */
  rewritten: string[];
  /** true when every node kept by the rewrite has the receptive field it had */
  sameReceptiveField: boolean;
}

/**
 * Whether the rules walk through a node of this kind (docs/advice.md#pass-through-layers, rules 2 and 3: `batchNorm`, `activation`,
 * `dropout`): the kinds marked `passThrough`, which keep the shape and only rescale or gate each value.
 */
const walksThrough = (kind: string) => getLayerKind(kind)?.passThrough === true;

/** The entries of a graph's positional list by node id: what the paths that name nodes (rewrites, labels) read. */
class ById<T> {
  constructor(private readonly pos: ReadonlyMap<string, number>, private readonly at: readonly (T | undefined)[]) {}
  get(id: string): T | undefined {
    const i = this.pos.get(id);
    return i === undefined ? undefined : this.at[i];
  }
  has(id: string): boolean {
    return this.pos.has(id);
  }
}

/**
 * The design as the rules read it. The rules walk it by position (the node's place in `design.nodes`, the first
 * entry of a repeated id): arrays, where the same walk by id cost a hash lookup per step (advice on a 10,000-layer
 * chain spent most of its time in them).
 */
interface Graph {
  design: Design;
  analysis: Analysis;
  /** each id's position: its first entry in `design.nodes` */
  pos: Map<string, number>;
  /** 1 at the position of each id's first entry (the node the rules advise; a repeated id is one node) */
  first: Uint8Array;
  /** the analysis' row of the node at each position */
  rows: (NodeAnalysis | undefined)[];
  /** the analysis lists the design's nodes in file order (`rowsInDesignOrder`), as `analyze` gives them */
  aligned: boolean;
  /** the positions each node feeds, one per edge between two nodes of the design, in file order */
  consumers: number[][];
  byId: ById<NodeAnalysis>;
  nodeById: ById<DesignNode>;
  /** 1 at each of the model's outputs (`outputNodes`: the nodes the `outputs` list names, else those that feed nothing) */
  isOutput: Uint8Array;
  /**
   * The analysis cache the rewrites are analysed with: a rewrite that only changes params (rules 3 and 4) keeps
   * the wiring, so the analysis reuses every node it does not reach; one that adds nodes is analysed afresh.
   */
  cache: AnalysisCache;
  /** `pastPassThrough`'s answers so far: each node is walked once, however many layers share its chain */
  pastPassThrough: Map<string, string | null>;
  /** rule 8's findings by merge id, found once per design on the first ask (branch-order.ts) */
  branchOrders?: Map<string, BranchOrderFinding>;
  /** every edge into each node, in file order: built on the first ask (`edgesInto`) */
  edgesByTarget?: Map<string, DesignEdge[]>;
  /** no node id is repeated (else a rewrite is analysed whole: rewrite-analysis.ts) */
  uniqueIds: boolean;
  /** whether items carry their whole rewritten copies (`rewrites`) */
  rewrites: boolean;
}

function graphOf(design: Design, analysis: Analysis, rewrites: boolean): Graph {
  const nodes = design.nodes;
  const n = nodes.length;
  const pos = new Map<string, number>();
  const first = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (pos.has(nodes[i].id)) continue;
    pos.set(nodes[i].id, i);
    first[i] = 1;
  }
  // `analyze` gives row i to node i; an analysis of another origin is matched by id (each id's first row)
  const rows: (NodeAnalysis | undefined)[] = new Array(n);
  const list = analysis.nodes;
  const aligned = rowsInDesignOrder(design, analysis);
  if (aligned) for (let i = 0; i < n; i++) rows[i] = list[i];
  else {
    for (const r of list) {
      const i = pos.get(r.id);
      if (i !== undefined && rows[i] === undefined) rows[i] = r;
    }
  }
  const consumers: number[][] = new Array(n);
  for (let i = 0; i < n; i++) consumers[i] = [];
  // without an outputs list the outputs are the nodes no edge leaves (`consumerlessNodes`), whatever its target
  const isOutput = new Uint8Array(n);
  if (design.outputs === undefined) isOutput.fill(1);
  else for (const o of outputNodes(design)) isOutput[pos.get(o.id)!] = 1;
  const edges = design.edges;
  for (let k = 0; k < edges.length; k++) {
    const e = edges[k];
    const s = pos.get(e.source);
    if (s === undefined) continue;
    if (design.outputs === undefined) isOutput[s] = 0;
    const t = pos.get(e.target);
    if (t !== undefined) consumers[s].push(t);
  }
  return {
    design, analysis, pos, first, rows, aligned, consumers, byId: new ById(pos, rows), nodeById: new ById(pos, nodes), isOutput,
    cache: new AnalysisCache(), pastPassThrough: new Map(), uniqueIds: pos.size === n, rewrites,
  };
}

/** Every edge into node `id`, in file order (what a rewrite's part holds of the nodes it changes). */
function edgesInto(g: Graph, id: string): DesignEdge[] {
  let by = g.edgesByTarget;
  if (!by) {
    by = g.edgesByTarget = new Map();
    for (const e of g.design.edges) {
      const list = by.get(e.target);
      if (list) list.push(e);
      else by.set(e.target, [e]);
    }
  }
  return by.get(id) ?? [];
}

/**
 * The producers of node `id`, in input order (`orderInputs`, docs/design-format.md#input-order). A node the analysis
 * computed lists them in its row (`inputs`: the sources of the edges into it in that order; none of them dangles,
 * since a dangling input fails its node); any other node's are read from the edges into it, dangling ones included.
 */
function producersOf(g: Graph, id: string, at = g.pos.get(id)): readonly string[] | undefined {
  const row = at === undefined ? undefined : g.rows[at];
  if (row?.outputShape) return row.inputs;
  const edges = edgesInto(g, id);
  return edges.length ? orderInputs(edges).ordered.map((e) => e.source) : undefined;
}

/** An edit a rule makes, on the whole design or on a part of it holding the nodes it edits and the edges into them. */
type Edit = (d: Design) => { design: Design; added: string[] };

/** A rule's rewrite, with the ids the whole edit gives the nodes it adds. */
interface Candidate {
  rw: Rewrite;
  added: string[];
}

/**
 * The candidate of `edit`, which changes the nodes `rewritten` and adds nodes whose ids are made from `bases`, in
 * order. The edit runs on a part of the design (those nodes and every edge into them), so the candidate costs the
 * size of the rewrite; the whole copy is built when asked for. The ids the whole edit would give (each base made
 * unique by `uniqueId` against the design's ids and those added before it, as each insert does) are chosen here,
 * against the graph's ids without copying them.
 */
function candidate(g: Graph, rewritten: string[], bases: string[], edit: Edit): Candidate {
  const part: Design = {
    ...g.design,
    nodes: rewritten.map((id) => g.nodeById.get(id)!),
    edges: rewritten.flatMap((id) => edgesInto(g, id)),
  };
  const done = edit(part);
  let whole: { design: Design; added: string[] } | undefined;
  const wholeEdit = () => (whole ??= edit(g.design));
  const rw: Rewrite = { rewritten, added: done.added, part: done.design, whole: () => wholeEdit().design };
  if (g.rewrites) return { rw, added: wholeEdit().added };
  const mine = new Set<string>();
  const taken = { has: (id: string) => mine.has(id) || g.nodeById.has(id), add: (id: string) => mine.add(id) };
  return { rw, added: bases.map((base) => uniqueId(base, taken)) };
}

/** The candidate that replaces a one-input node by `chain` (`replaceByChain`: the last keeps the node's id). */
function chainCandidate(g: Graph, nodeId: string, chain: NodeSpec[]): Candidate {
  return candidate(g, [nodeId], chain.slice(0, -1).map((s) => s.id ?? s.kind), (d) => {
    const r = replaceByChain(d, nodeId, chain);
    return { design: r.design, added: r.ids.slice(0, -1) };
  });
}

/** The params of the conv2d node at position `at` that analysed without error, typed; else null (rules 1, 2 and 6). */
function conv2dParams(g: Graph, at: number | undefined) {
  return at === undefined ? null : resolvedParams(g.design.nodes[at], g.rows[at], conv2dKind.kind);
}

/**
 * The first node at or above `id` along sole producers that is not pass-through, or null where that chain ends
 * (no sole producer) or loops. Memoized in the graph: every node's answer is settled once, so rule 2's walks for
 * many convolutions behind one long chain of batch norms and activations stay linear in the nodes.
 */
function pastPassThrough(g: Graph, id: string): string | null {
  const memo = g.pastPassThrough;
  const path: string[] = [];
  const onPath = new Set<string>();
  let cur: string | null = id;
  let found: string | null = null;
  for (;;) {
    if (cur === null || onPath.has(cur)) break;
    const known = memo.get(cur);
    if (known !== undefined) {
      found = known;
      break;
    }
    if (!walksThrough(g.nodeById.get(cur)!.kind)) {
      found = cur;
      break;
    }
    onPath.add(cur);
    path.push(cur);
    cur = soleProducer(g, cur);
  }
  for (const p of path) memo.set(p, found);
  return found;
}

/** The one producer of a one-input node, else null. */
function soleProducer(g: Graph, id: string): string | null {
  const p = producersOf(g, id);
  return p && p.length === 1 ? p[0] : null;
}

const eqPair = (p: unknown, a: number, b = a) => Array.isArray(p) && p[0] === a && p[1] === b;
const MINUS = '−';
const signed = formatSignedInt;

/** −28%, or one decimal under 1% (−0.2%), so that a real saving never reads as 0%. */
function percent(p: number): string {
  const r = Math.abs(p) < 1 ? Math.round(p * 10) / 10 : Math.round(p);
  return `${r < 0 ? MINUS : r > 0 ? '+' : ''}${Math.abs(r)}%`;
}

const COUNT_WORDS = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven'];

/** The rewritten copy's analysis (engine/rewrite-analysis.ts: its new nodes alone where that is exact). */
const analyzed = (g: Graph, rw: Rewrite) => analyzeRewrite(g.analysis, g.byId, rw, g.uniqueIds, g.cache);

function judge(
  g: Graph, nodeId: string, rule: AdviceRule, c: Candidate, lesson: string, after: RewriteAnalysis = analyzed(g, c.rw),
): AdviceDetail {
  const rw = c.rw;
  const paramsDelta = after.params - g.analysis.totals.params;
  const macsDelta = after.macs - g.analysis.totals.macs;
  const sameReceptiveField = after.sameFields;
  // a percentage says of what: the rewritten layers' own params (−98% of fc1) and, beside it, the network's (−73%)
  const base = rw.rewritten.reduce((s, id) => s + (g.byId.get(id)?.params ?? 0), 0);
  const weighted = rw.rewritten.filter((id) => (g.byId.get(id)?.params ?? 0) > 0);
  const whose = weighted.length === 1 ? shortLabel(g, weighted[0]) : `the ${weighted.length} layers rewritten`;
  const total = g.analysis.totals.params;
  const share = total > 0 ? (100 * paramsDelta) / total : 0;
  const ofNetwork = total === 0 ? '' : Math.abs(share) < 0.05 ? ', under 0.1% of the network' : `, ${percent(share)} of the network`;
  const pct = base > 0 && paramsDelta !== 0 ? ` (${percent((100 * paramsDelta) / base)} of ${whose}${ofNetwork})` : '';
  const parts = [`${signed(paramsDelta)} params${pct}`, `${signed(macsDelta)} MACs`];
  if (rule === 'factorize-kernel' || rule === 'bottleneck-1x1' || rule === 'depthwise-separable') parts.push(sameReceptiveField ? 'same receptive field' : 'receptive field changes');
  const saving = parts.join(', ');
  return {
    nodeId, rule, message: `${label(g, nodeId)}: ${lesson} Saving: ${saving}.`, paramsDelta, macsDelta,
    lesson, saving, rewrite: g.rewrites ? rw.whole() : null, rewritten: rw.rewritten, added: c.added, sameReceptiveField,
  };
}

/** A layer as a saving names it: its name, else its id. */
function shortLabel(g: Graph, id: string): string {
  return g.nodeById.get(id)?.name ?? id;
}

function label(g: Graph, id: string): string {
  const n = g.nodeById.get(id)!;
  return n.name !== undefined && n.name !== id ? `'${n.name}' (${id})` : `'${id}'`;
}

// ---- rule 1: factorize-kernel ---------------------------------------------------------------------------

function factorizeKernel(g: Graph, node: DesignNode, at: number): AdviceDetail | null {
  const p = conv2dParams(g, at);
  if (!p) return null;
  const [kh, kw] = p.kernelSize;
  const k = kh;
  if (kh !== kw || k < 5 || k % 2 === 0) return null;
  if (!eqPair(p.strides, 1) || !eqPair(p.dilation, 1) || p.groups !== 1 || soleProducer(g, node.id) === null) return null;
  const pad = p.padding;
  const half = (k - 1) / 2;
  let small: PaddingValue | number;
  if (pad === 'same' || pad === 'valid') small = pad;
  else if (eqPair(pad, half)) small = 1;
  else return null;
  const conv: NodeSpec = {
    kind: conv2dKind.kind,
    params: { filters: p.filters, kernelSize: 3, padding: small, useBias: p.useBias, activation: p.activation },
  };
  const chain = Array.from({ length: half }, (_, i) => ({ ...conv, id: `${node.id}_3x3_${i + 1}` }));
  const d = judge(g, node.id, 'factorize-kernel', chainCandidate(g, node.id, chain),
    `${COUNT_WORDS[half] ?? half} stacked 3×3 convolutions see the same ${k}×${k} window as one ${k}×${k} convolution, with ${9 * half} instead of ${k * k} weights per channel pair and a nonlinearity between them (VGG's lesson).`);
  return d.paramsDelta < 0 ? d : null;
}

// ---- rule 2: bottleneck-1x1 -----------------------------------------------------------------------------

/** R = max(8, 8·⌊Cin/32 + ½⌋): a 4× channel reduction rounded to a multiple of 8. */
export function bottleneckWidth(cin: number): number {
  return Math.max(8, 8 * Math.floor(cin / 32 + 0.5));
}

function bottleneck(g: Graph, node: DesignNode, at: number): AdviceDetail | null {
  const p = conv2dParams(g, at);
  if (!p) return null;
  const [kh, kw] = p.kernelSize;
  if (kh * kw < 9 || p.groups !== 1) return null;
  const src = soleProducer(g, node.id);
  const inShape = src === null ? null : g.byId.get(src)?.outputShape;
  if (!inShape || inShape.length !== 3) return null;
  const cin = inShape[2];
  if (cin < 64) return null;
  const cur = pastPassThrough(g, src!);
  const q = cur === null ? null : conv2dParams(g, g.pos.get(cur));
  if (q && eqPair(q.kernelSize, 1)) return null;
  const R = bottleneckWidth(cin);
  const reduce: NodeSpec = { kind: conv2dKind.kind, id: `${node.id}_reduce`, params: { filters: R, kernelSize: 1, useBias: p.useBias, activation: 'relu' } };
  const c = candidate(g, [node.id], [reduce.id!], (x) => {
    const r = insertBefore(x, node.id, reduce);
    return { design: r.design, added: [r.id] };
  });
  const d = judge(g, node.id, 'bottleneck-1x1', c,
    `a 1×1 convolution that first squeezes ${cin} channels to ${R} makes the ${kh}×${kw} convolution work on a quarter of the channels (GoogLeNet's and ResNet's 1×1 reductions).`);
  const own = g.rows[at]!.params;
  return d.paramsDelta < 0 && 4 * d.paramsDelta <= -own ? d : null; // ≤ −25%, in whole numbers
}

// ---- rule 3: global-pool-head ---------------------------------------------------------------------------

function globalPoolHead(g: Graph, node: DesignNode, at: number): AdviceDetail | null {
  if (node.kind !== flattenKind.kind || !g.rows[at]?.outputShape) return null;
  const src = soleProducer(g, node.id);
  const inShape = src === null ? null : g.byId.get(src)?.outputShape;
  if (!inShape || inShape.length !== 3 || inShape[0] * inShape[1] <= 1) return null;
  const path = [node.id];
  let cur = at;
  for (;;) {
    const next = g.consumers[cur];
    if (next.length !== 1) return null;
    const { id, kind } = g.design.nodes[next[0]];
    path.push(id);
    if (kind === denseKind.kind) break;
    if (!walksThrough(kind)) return null;
    cur = next[0];
  }
  const dense = g.byId.get(path[path.length - 1])!;
  if (!dense.outputShape || 10 * dense.params < g.analysis.totals.params) return null; // ≥ 10%, in whole numbers
  const gap = { kind: globalAvgPoolKind.kind, params: {} };
  const [h, w, c] = inShape;
  const d = judge(g, node.id, 'global-pool-head', candidate(g, path, [], (x) => ({ design: replaceNode(x, node.id, gap), added: [] })),
    `averaging each of the ${c} channels over the ${h}×${w} map instead of flattening it hands '${dense.name ?? dense.id}' ${formatInt(c)} inputs instead of ${formatInt(h * w * c)} (GoogLeNet and ResNet dropped the huge fully connected layers).`);
  return d.paramsDelta < 0 ? d : null;
}

// ---- rule 4: bias-before-batchnorm ----------------------------------------------------------------------

// Rule 4 (docs/advice.md#rules) names conv2d, depthwiseConv2d and dense: the kinds whose params have `useBias`. The kinds added
// since with a `useBias` (separableConv2d: its pointwise bias) follow the same reasoning, so the rule reads the trait.
function biasBeforeBatchNorm(g: Graph, node: DesignNode, at: number): AdviceDetail | null {
  if (!hasBiasParam(node.kind)) return null;
  const p = nodeParams(node, g.rows[at]);
  if (!p || !('useBias' in p) || p.useBias !== true || !('activation' in p) || p.activation !== 'linear') return null;
  const next = g.consumers[at];
  if (next.length !== 1 || g.design.nodes[next[0]].kind !== batchNormKind.kind) return null;
  const c = candidate(g, [node.id], [], (x) => ({ design: setNodeParams(x, node.id, { useBias: false }), added: [] }));
  const d = judge(g, node.id, 'bias-before-batchnorm', c,
    `the batch norm right after it subtracts the mean of each channel, which cancels any bias, and adds its own beta: the bias does nothing here.`);
  return d.paramsDelta < 0 ? d : null;
}

// ---- rule 5: receptive-field-coverage -------------------------------------------------------------------

/**
 * The input node a node's first input path starts from (where its receptive field is measured), or undefined where
 * that path reaches no input (a cycle, a piece without one). Asked lazily, node by node: each answer is settled once
 * and every node on the walk is settled with it (reached or not), so a cycle no input reaches costs its length once,
 * not once per node, and all the answers together cost linear time in the nodes. A node's answer depends on its own
 * chain of first producers alone, so the order of the questions changes nothing.
 */
function inputFinder(g: Graph): (id: string) => string | undefined {
  // per node: the input it reaches, UNREACHED, or ON_PATH while the current walk is on it (a repeat: a cycle)
  const state = new Map<string, string | typeof UNREACHED | typeof ON_PATH>();
  return (id) => {
    const path: string[] = [];
    let cur: string | undefined = id;
    let found: string | undefined;
    while (cur !== undefined) {
      const known = state.get(cur);
      if (known !== undefined) {
        if (typeof known === 'string') found = known;
        break;
      }
      state.set(cur, ON_PATH);
      path.push(cur);
      if (isInputKind(g.nodeById.get(cur)?.kind ?? '')) {
        found = cur;
        break;
      }
      cur = producersOf(g, cur)?.[0];
    }
    for (let k = 0; k < path.length; k++) state.set(path[k], found ?? UNREACHED);
    return found;
  };
}

const UNREACHED = Symbol('reaches no input');
const ON_PATH = Symbol('on the walk');

function receptiveFieldCoverage(g: Graph, node: DesignNode, at: number, inputOf: (id: string) => string | undefined): AdviceDetail | null {
  const a = g.rows[at];
  const rf = a?.receptiveField;
  // a unit with a global path already depends on every pixel (docs/receptive-field.md#global-paths: rule 5 does not fire there)
  if (!a || !rf || rf.global) return null;
  const next = g.consumers[at];
  // a consumer with a field sees more; one that failed (no shape) says nothing about where the field ends. An
  // output that also feeds on (Keras's `[features, logits]`) is still what the model hands out.
  if (!g.isOutput[at]) {
    for (let k = 0; k < next.length; k++) {
      const r = g.rows[next[k]];
      if (r?.receptiveField || !r?.outputShape) return null;
    }
  }
  const inputId = inputOf(node.id);
  const shape = inputId === undefined ? null : g.byId.get(inputId)?.outputShape;
  if (!shape || shape.length !== 3) return null;
  const [h, w] = shape;
  if (rf.size[0] >= h && rf.size[1] >= w) return null;
  const field = formatPair(rf.size);
  const lesson = `each of its units sees only ${field} pixels of the ${h}×${w} input, so no feature it hands on has looked at the whole image; more layers, larger strides or pooling earlier widen what each unit sees.`;
  return {
    nodeId: node.id, rule: 'receptive-field-coverage',
    message: `${label(g, node.id)}: ${lesson}`,
    paramsDelta: 0, macsDelta: 0, lesson, saving: '', rewrite: null, rewritten: [], added: [], sameReceptiveField: true,
  };
}

// ---- rule 6: depthwise-separable --------------------------------------------------------------------------

/**
 * MobileNet's lesson (Howard et al. 2017): a k×k convolution over Cin ≥ 32 channels (kernel area ≥ 9, groups 1,
 * dilation 1) as a depthwise k×k (same kernel, strides, padding and dilation; no bias, linear) then a 1×1 conv to
 * the filters with the conv's bias and activation: kh·kw·Cin + Cin·Cout weights instead of kh·kw·Cin·Cout. Advised
 * where it saves at least half the conv's own parameters (docs/advice.md#rules).
 */
function depthwiseSeparable(g: Graph, node: DesignNode, at: number): AdviceDetail | null {
  const p = conv2dParams(g, at);
  if (!p) return null;
  const [kh, kw] = p.kernelSize;
  if (kh * kw < 9 || p.groups !== 1 || !eqPair(p.dilation, 1)) return null;
  const a = g.rows[at];
  const inShape = a?.inputShapes?.[0];
  if (!a || !inShape || inShape.length !== 3 || inShape[2] < 32 || soleProducer(g, node.id) === null) return null;
  const chain: NodeSpec[] = [
    {
      id: `${node.id}_dw`, kind: depthwiseConv2dKind.kind,
      params: { kernelSize: int2Value(p.kernelSize), strides: int2Value(p.strides), padding: typeof p.padding === 'string' ? p.padding : int2Value(p.padding), dilation: 1, useBias: false, activation: 'linear' },
    },
    { kind: conv2dKind.kind, params: { filters: p.filters, kernelSize: 1, useBias: p.useBias, activation: p.activation } },
  ];
  const d = judge(g, node.id, 'depthwise-separable', chainCandidate(g, node.id, chain),
    `a depthwise ${formatPair(p.kernelSize)} convolution filters each of the ${inShape[2]} channels on its own and a 1×1 convolution then mixes them: ${kh * kw}·${inShape[2]} + ${inShape[2]}·${p.filters} weights instead of ${kh * kw}·${inShape[2]}·${p.filters} (MobileNet's lesson).`);
  return d.paramsDelta <= -0.5 * a.params ? d : null;
}

// ---- rule 7: checkerboard ---------------------------------------------------------------------------------

/**
 * Odena, Dumoulin and Olah, "Deconvolution and Checkerboard Artifacts" (Distill, 2016): a transposed convolution
 * whose kernel size is not a multiple of its stride in some axis overlaps unevenly, so neighbouring output pixels
 * receive different numbers of taps and the output carries a checkerboard. The cure: a nearest upsampling by the
 * strides, then a `conv2d` with the same filters, kernel, bias and activation, stride 1 and `same` padding. Advised
 * only where that gives the same output shape, whatever its deltas (docs/advice.md#rules): the cure runs the
 * kernel at the output's resolution, so it costs stride² times the MACs for the same parameters.
 */
function checkerboard(g: Graph, node: DesignNode, at: number): AdviceDetail | null {
  const p = resolvedParams(node, g.rows[at], conv2dTransposeKind.kind);
  if (!p || soleProducer(g, node.id) === null) return null;
  const [kh, kw] = p.kernelSize;
  const [sh, sw] = p.strides;
  if (kh % sh === 0 && kw % sw === 0) return null;
  const chain: NodeSpec[] = [
    { id: `${node.id}_up`, kind: upsample2dKind.kind, params: { size: int2Value(p.strides), interpolation: 'nearest' } },
    { kind: conv2dKind.kind, params: { filters: p.filters, kernelSize: int2Value(p.kernelSize), strides: 1, padding: 'same', useBias: p.useBias, activation: p.activation } },
  ];
  const c = chainCandidate(g, node.id, chain);
  const before = g.rows[at]?.outputShape;
  if (!before) return null;
  // the cure's output shape first: where it differs (or the cure fails) there is no advice, and no copy to analyse whole
  const part = g.uniqueIds ? analyzeRewrittenNodes(g.byId, c.rw) : null;
  const early = part?.rows.get(node.id)?.outputShape;
  if (part && (part.errors.length > 0 || !early || early.join() !== before.join())) return null;
  const after = analyzed(g, c.rw);
  const shape = after.rowOf(node.id)?.outputShape;
  if (!shape || shape.join() !== before.join() || !after.valid) return null;
  const uneven = kh % sh !== 0 ? `${kh} rows over a stride of ${sh}` : `${kw} columns over a stride of ${sw}`;
  return judge(g, node.id, 'checkerboard', c,
    `its ${formatPair(p.kernelSize)} kernel moving ${formatPair(p.strides)} overlaps unevenly (${uneven}), so neighbouring output pixels get different numbers of taps and the output shows a checkerboard (Odena, Dumoulin and Olah, 2016); upsampling by ${formatPair(p.strides)} (nearest) and then a ${formatPair(p.kernelSize)} convolution with padding same gives every pixel the same taps.`, after);
}

// ---- rule 8: branch-order ---------------------------------------------------------------------------------

/**
 * The inference peak by liveness (docs/analysis.md#peak-memory-by-liveness) runs the layers in the design's file order where the wiring allows;
 * where a merge's branches hold less memory at once run in another order, the rewrite moves their layers in the
 * file (branch-order.ts) and nothing else: same layers, wiring, params, MACs and outputs, a lower peak. Advised on
 * the merge, only where the peak, measured again on the rewritten order, drops by 1% or more.
 */
function branchOrder(g: Graph, node: DesignNode, at: number): AdviceDetail | null {
  // a merge takes two layers or more: on a design without one, the branch orders are never sought
  const from = producersOf(g, node.id, at);
  if (!from || from.length < 2 || new Set(from).size < 2) return null;
  if (!g.branchOrders) {
    g.branchOrders = new Map();
    // the analysis lists the design's nodes in file order; the rewrite reorders the design's the same way
    if (g.aligned) for (const f of branchOrders(g.analysis.nodes)) g.branchOrders.set(f.mergeId, f);
  }
  const f = g.branchOrders.get(node.id);
  if (!f) return null;
  const names = (ids: string[]) => ids.map((id) => `'${shortLabel(g, id)}'`).join(', ');
  const drop = (100 * (f.peakAfter - f.peakBefore)) / f.peakBefore;
  const lesson = `running its branches in the order ${names(f.after)} (each named by its last layer) instead of ${names(f.before)} frees the larger tensors before the next branch makes its own: the same layers and numbers, run in another order.`;
  const saving = `peak memory of inference ${formatBytes(f.peakBefore)} → ${formatBytes(f.peakAfter)} (${percent(drop)}) at batch 1, same params and MACs`;
  return {
    nodeId: node.id, rule: 'branch-order', message: `${label(g, node.id)}: ${lesson} Saving: ${saving}.`, paramsDelta: 0, macsDelta: 0,
    lesson, saving, rewrite: g.rewrites ? { ...g.design, nodes: f.order.map((i) => g.design.nodes[i]) } : null, rewritten: [], added: [], sameReceptiveField: true,
  };
}

/**
 * The advice for a design; with `rewrites`, each item carries the rewritten copy the editor previews and applies
 * (each copy costs the size of the design: the editor asks `adviceAt` for the one it shows).
 * @param analysis `analyze(design)` (passed in: the caller has it already)
 * @returns rule 1 items first, then rule 2… (the contract's order), each rule in file order of the nodes
 * @example adviseDetailed(d, analyze(d))[0].saving // → "−28,608 params (−28% of conv5x5, −16% of the network), −89,915,392 MACs, same receptive field"
 */
export function adviseDetailed(design: Design, analysis: Analysis, options: { rewrites?: boolean } = {}): AdviceDetail[] {
  const g = graphOf(design, analysis, options.rewrites === true);
  const inputOf = inputFinder(g);
  const found = new Map<AdviceRule, AdviceDetail[]>(ADVICE_RULES.map((rule) => [rule, []]));
  const nodes = design.nodes;
  for (let at = 0; at < nodes.length; at++) {
    if (!g.first[at]) continue; // a repeated id is one node: its first entry
    const n = nodes[at];
    const rules = rulesFor(n.kind);
    for (let k = 0; k < rules.length; k++) {
      const rule = rules[k];
      let d: AdviceDetail | null;
      try {
        d = ruleAt(g, rule, n, at, inputOf);
      } catch {
        d = null; // a rewrite the design's wiring does not allow (e.g. a file with duplicate edges) is no advice
      }
      if (d) found.get(rule)!.push(d);
    }
  }
  return ADVICE_RULES.flatMap((rule) => found.get(rule)!);
}

/**
 * The rules that can advise a node of `kind`, in `ADVICE_RULES` order: each rule's first test is its node's kind
 * (rules 1, 2 and 6 a `conv2d`, rule 3 a `flatten`, rule 4 a kind with `useBias`, rule 7 a `conv2dTranspose`; rules 5
 * and 8 any kind), so a node is only shown the rules that may fire on it. Memoized per kind: one lookup per node.
 */
function rulesFor(kind: string): readonly AdviceRule[] {
  let rules = RULES_BY_KIND.get(kind);
  if (!rules) {
    rules = ADVICE_RULES.filter((rule) => RULE_KINDS[rule](kind));
    RULES_BY_KIND.set(kind, rules);
  }
  return rules;
}

const RULES_BY_KIND = new Map<string, readonly AdviceRule[]>();

/** Each rule's kind test (its rule function checks the same kind first; this only skips the call). */
const RULE_KINDS: Record<AdviceRule, (kind: string) => boolean> = {
  'factorize-kernel': (k) => k === conv2dKind.kind,
  'bottleneck-1x1': (k) => k === conv2dKind.kind,
  'global-pool-head': (k) => k === flattenKind.kind,
  'bias-before-batchnorm': hasBiasParam,
  'receptive-field-coverage': () => true,
  'depthwise-separable': (k) => k === conv2dKind.kind,
  checkerboard: (k) => k === conv2dTransposeKind.kind,
  // a merge of any kind (concat, add, multiply…): its findings are looked up by id, found once per design
  'branch-order': () => true,
};

/** Each rule on the node `n` at position `at` of the graph. */
const RULE_FUNCTIONS: Record<Exclude<AdviceRule, 'receptive-field-coverage'>, (g: Graph, n: DesignNode, at: number) => AdviceDetail | null> = {
  'factorize-kernel': factorizeKernel,
  'bottleneck-1x1': bottleneck,
  'global-pool-head': globalPoolHead,
  'bias-before-batchnorm': biasBeforeBatchNorm,
  'depthwise-separable': depthwiseSeparable,
  checkerboard,
  'branch-order': branchOrder,
};

/** One rule on one node; rule 5 asks `inputOf` for the input node each node's field is measured on (`inputFinder`). */
function ruleAt(g: Graph, rule: AdviceRule, node: DesignNode, at: number, inputOf: (id: string) => string | undefined): AdviceDetail | null {
  return rule === 'receptive-field-coverage' ? receptiveFieldCoverage(g, node, at, inputOf) : RULE_FUNCTIONS[rule](g, node, at);
}

/**
 * One rule on one node, with its rewritten copy: what the editor needs to preview or apply an item that was
 * advised elsewhere (the advice worker sends items without their rewritten designs). Null when the rule does
 * not apply there (any more).
 * @example adviceAt(d, analyze(d), 'factorize-kernel', 'conv5x5')?.rewrite
 */
export function adviceAt(design: Design, analysis: Analysis, rule: AdviceRule, nodeId: string): AdviceDetail | null {
  const g = graphOf(design, analysis, true);
  const at = g.pos.get(nodeId);
  if (at === undefined) return null;
  const node = design.nodes[at];
  if (rule === 'receptive-field-coverage') return receptiveFieldCoverage(g, node, at, inputFinder(g));
  return RULE_FUNCTIONS[rule](g, node, at);
}

/**
 * The contract's `advice` list: `{ nodeId, rule, message, paramsDelta, macsDelta }` per item.
 * @example advise(d, analyze(d)).map((a) => a.rule) // → ['factorize-kernel', 'bias-before-batchnorm']
 */
export function advise(design: Design, analysis: Analysis): Advice[] {
  return adviseDetailed(design, analysis).map(contractAdvice);
}

/** One item as the contract's `advice` list holds it: `{ nodeId, rule, message, paramsDelta, macsDelta }`. */
export function contractAdvice({ nodeId, rule, message, paramsDelta, macsDelta }: Advice): Advice {
  return { nodeId, rule, message, paramsDelta, macsDelta };
}
