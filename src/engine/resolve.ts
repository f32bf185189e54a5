/**
 * A design as every backend walks it: its nodes in topological order, each with its kind, its params typed by
 * that kind, its inputs in port order and its shapes. The compiler (tfjs), the PyTorch and ONNX exports, the
 * PyTorch state dict, the Keras import's table and advice read nodes through here, so the dispatch "validate the
 * node's params against its kind's schema, look the kind's rule up in a backend's table, call it" is written once,
 * and so is the one cast it needs: TypeScript cannot see that params validated against kind K's schema are
 * `KindParams<K>`, nor correlate a node's kind (a union) with the entry of a table keyed by kind.
 */

import { inputsInPortOrder, topologicalOrder } from '../contract/design.ts';
import type { NodeWeights } from '../contract/layer-kind.ts';
import { validateParams } from '../contract/params.ts';
import type { Analysis, Design, DesignNode, NodeAnalysis, Shape } from '../contract/types.ts';
import { analyze, validatedParams } from './analyze.ts';
import { getLayerKind, isKindName, type KindName, type KindParams, type KindWeights } from './registry.ts';

/** One node of kind `K`, resolved: what a backend's rule for `K` reads. */
export interface ResolvedNodeOf<K extends KindName> {
  id: string;
  kind: K;
  /** validated against kind `K`'s schema and resolved (`validateParams`: defaults filled, int2 as `[h, w]`) */
  params: KindParams<K>;
  /** the design's node (its raw params, name, group) */
  node: DesignNode;
  /** the node's row of the analysis */
  analysis: NodeAnalysis;
  /** the ids of the nodes feeding it, in port order (`inputsInPortOrder`, the one input-order rule); `[]` for an input */
  inputs: string[];
  /** the output shape of each input, in the same order (channels-last, no batch) */
  inputShapes: Shape[];
  outputShape: Shape;
}

/** A resolved node of any kind: a union discriminated by `kind`, so `if (r.kind === 'conv2d')` types `r.params`. */
export type ResolvedNode = { [K in KindName]: ResolvedNodeOf<K> }[KindName];

export interface Resolution {
  /** the nodes that resolved (every node of a valid design), in topological order (`topologicalOrder`) */
  nodes: ResolvedNode[];
  /** the same nodes by id */
  byId: ReadonlyMap<string, ResolvedNode>;
  /** the analysis the shapes were read from */
  analysis: Analysis;
}

/**
 * Resolves a design for a backend to walk.
 *
 * A node resolves when its kind is known, its params validate against the kind's schema, the analysis computed
 * its output shape, and every node feeding it resolved (it comes after them in topological order). Of nodes
 * sharing one id, the first in the file is taken, with the analysis' first row of that id. For a valid design
 * (`analysis.valid`) every node resolves, and the result lists them all; for an invalid one, the nodes that an
 * error stopped (or that sit on or after a cycle) are simply absent. Nothing throws: a backend that needs the
 * whole design checks `analysis.valid` first and reports the errors in its own words.
 * @param analysis `analyze(design)`, where the caller has it already
 * @example resolve(design).nodes.map((r) => `${r.id}: ${r.outputShape.join('×')}`) // → ['in: 32×32×3', 'conv1: 32×32×8', …]
 */
export function resolve(design: Design, analysis: Analysis = analyze(design)): Resolution {
  const rows = new Map<string, NodeAnalysis>();
  for (const a of analysis.nodes) if (!rows.has(a.id)) rows.set(a.id, a);
  const designNodes = new Map<string, DesignNode>();
  for (const n of design.nodes) if (!designNodes.has(n.id)) designNodes.set(n.id, n);
  const inputEdges = inputsInPortOrder(design);
  const nodes: ResolvedNode[] = [];
  const byId = new Map<string, ResolvedNode>();
  for (const id of topologicalOrder(design)) {
    if (byId.has(id)) continue; // an id that several nodes share is listed once per node
    const node = designNodes.get(id)!;
    const row = rows.get(id);
    const def = getLayerKind(node.kind);
    if (!row?.outputShape || !def || !isKindName(node.kind)) continue;
    const inputs = (inputEdges.get(id) ?? []).map((e) => e.source);
    const sources = inputs.map((s) => byId.get(s));
    if (sources.some((s) => s === undefined)) continue;
    // the analysis validated this very node's params already; a row of another origin is validated here
    const params = validatedParams(row, node) ?? validateParams(def.params, node.params).params;
    if (!params) continue;
    // The one cast: these params were validated against the schema of kind `node.kind`.
    const r = {
      id, kind: node.kind, params, node, analysis: row, inputs,
      inputShapes: sources.map((s) => s!.outputShape), outputShape: row.outputShape,
    } as ResolvedNode;
    nodes.push(r);
    byId.set(id, r);
  }
  return { nodes, byId, analysis };
}

/**
 * One node's params typed by kind `kind`, where the node is of that kind and the analysis computed its output
 * (its row in `analysis`); else null. What `resolve` gives one node, without walking the whole design: the
 * advice rules read a few nodes' params each.
 * @example resolvedParams(node, row, 'conv2d')?.kernelSize // → [3, 3]
 */
export function resolvedParams<K extends KindName>(node: DesignNode, row: NodeAnalysis | undefined, kind: K): KindParams<K> | null {
  // The one cast, as in `resolve`: these params were validated against the schema of kind `kind`.
  return node.kind === kind ? nodeParams(node, row) as KindParams<K> | null : null;
}

/**
 * One node's validated params (any kind), where the analysis computed its output (`row`, its row); else null.
 * Reads what the analysis validated for this very node, or validates them where the row is of another origin.
 */
export function nodeParams(node: DesignNode, row: NodeAnalysis | undefined): Record<string, unknown> | null {
  if (!row?.outputShape) return null;
  const kept = validatedParams(row, node);
  if (kept) return kept;
  const def = getLayerKind(node.kind);
  return (def && validateParams(def.params, node.params).params) ?? null;
}

/** A backend's table: kind `K`'s rule under the key `K` (e.g. `{ [K in KindName]: TorchRuleOf<K> }`). */
export type KindTable = { [K in KindName]: unknown };

/**
 * Calls the rule of a resolved node's kind, from a backend's table keyed by kind, with the node typed by the same
 * kind: inside `call`, `rule` is the table's entry for `K` (`TfjsRuleOf<K>`, `TorchRuleOf<K>`…) and
 * `node.params` are `KindParams<K>`, so the rule takes them without a cast. Returns what `call` returns.
 * @example callRule(TORCH_RULES, r, (rule, n) => rule.emit({ a: n.analysis, p: n.params, … }))
 */
export function callRule<T extends KindTable, R>(
  table: T, node: ResolvedNode, call: <K extends KindName>(rule: T[K], node: ResolvedNodeOf<K>) => R,
): R {
  // TypeScript cannot correlate the union `node.kind` with the table's entry: said once, here.
  return call(table[node.kind], node as ResolvedNodeOf<KindName>);
}

/**
 * Each entry of a backend's table, in the table's order, typed by its kind: inside `visit`, `rule` is the entry
 * for `K`. For a driver that reads a whole table (the Keras import's class lookup) rather than one node's rule.
 */
export function eachRule<T extends KindTable>(table: T, visit: <K extends KindName>(kind: K, rule: T[K]) => void): void {
  for (const kind of Object.keys(table) as KindName[]) visit(kind, table[kind]);
}

/**
 * A node's weights typed by its kind. `weights` must be what kind `K`'s own `initialWeights` drew for the node or
 * its tfjs rule's `readWeights` read back (`nodeInitialWeights`, `compiledNodeWeights`): those return the roles
 * of `KindWeights<K>`, erased to `NodeWeights` on the way.
 */
export function kindWeights<K extends KindName>(_node: ResolvedNodeOf<K>, weights: NodeWeights): KindWeights<K> {
  return weights as KindWeights<K>;
}
