/**
 * The model's outputs, in order (docs/design-format.md#outputs): the design's optional top-level `outputs` list of
 * node ids, or, without it, the nodes no edge leaves, in file order. One rule for the analysis, `run`, the compiler,
 * every export and every import, so their outputs come in the same order. A listed node may also feed other nodes
 * (Keras's `[features, logits]`) or be an input node; each is listed at most once.
 */

import type { AnalysisError, Design, DesignEdge } from './types.ts';

type Graph<N> = { nodes: readonly N[]; edges: readonly Pick<DesignEdge, 'source'>[]; outputs?: readonly string[] };

/**
 * The nodes no edge leaves, in file order: the model's outputs when the design has no `outputs` list.
 * @example consumerlessNodes(vgg16).map((n) => n.id) // → ['predictions']
 */
export function consumerlessNodes<N extends { id: string }>(design: Graph<N>): N[] {
  const feeds = new Set<string>();
  const edges = design.edges;
  for (let k = 0; k < edges.length; k++) feeds.add(edges[k].source);
  return design.nodes.filter((n) => !feeds.has(n.id));
}

/**
 * The model's outputs, in order (docs/design-format.md#outputs): the nodes the `outputs` list names, in its order, else
 * `consumerlessNodes`. An id no node has, or one listed a second time, is left out here; `outputsErrors` reports it.
 * @example outputNodes({ ...d, outputs: ['box', 'cls'] }).map((n) => n.id) // → ['box', 'cls']
 */
export function outputNodes<N extends { id: string }>(design: Graph<N>): N[] {
  if (design.outputs === undefined) return consumerlessNodes(design);
  const byId = new Map<string, N>();
  for (const n of design.nodes) if (!byId.has(n.id)) byId.set(n.id, n);
  const seen = new Set<string>();
  const out: N[] = [];
  for (const id of design.outputs) {
    const n = byId.get(id);
    if (n === undefined || seen.has(id)) continue;
    seen.add(id);
    out.push(n);
  }
  return out;
}

/**
 * What is wrong with a design's `outputs` list, each error naming the node: an id that is not a node, a node listed
 * twice, and a node that feeds nothing yet is not listed (it would be computed for no output; Keras leaves such a
 * layer out of the model, so no export could hold it). Empty without a list.
 */
export function outputsErrors(design: Pick<Design, 'nodes' | 'edges' | 'outputs'>): AnalysisError[] {
  const list = design.outputs;
  if (list === undefined) return [];
  const errors: AnalysisError[] = [];
  const ids = new Set(design.nodes.map((n) => n.id));
  const seen = new Set<string>();
  list.forEach((id, k) => {
    const shown = id.length > 64 ? id.slice(0, 64) + '…' : id;
    if (!ids.has(id)) errors.push({ field: 'outputs', message: `outputs entry ${k + 1} names '${shown}', which is not a node of this design` });
    else if (seen.has(id)) errors.push({ nodeId: id, field: 'outputs', message: `is listed twice in the design's outputs (each output once)` });
    seen.add(id);
  });
  if (list.length === 0) errors.push({ field: 'outputs', message: 'the design\'s outputs list is empty: a model needs at least one output' });
  for (const n of consumerlessNodes(design)) {
    if (!seen.has(n.id)) errors.push({ nodeId: n.id, field: 'outputs', message: 'feeds nothing and is not one of the design\'s outputs: connect it, or mark it as an output' });
  }
  return errors;
}

/**
 * The `outputs` field a design with these outputs writes: none (undefined) when they are exactly the consumer-less
 * nodes in file order, the rule without a list; else the ids. Imports and edits write it through here, so a
 * design whose outputs are the default never carries a list.
 * @example outputsField(design, ['features', 'logits']) // → ['features', 'logits'] (features also feeds logits)
 */
export function outputsField(design: Pick<Design, 'nodes' | 'edges'>, ids: readonly string[]): string[] | undefined {
  const fallback = consumerlessNodes(design);
  const same = fallback.length === ids.length && fallback.every((n, k) => n.id === ids[k]);
  return same ? undefined : [...ids];
}

/** The design with its `outputs` field set to `ids` in normal form (`outputsField`: left out where it is the default). */
export function withOutputs<D extends Design>(design: D, ids: readonly string[]): D {
  const field = outputsField(design, ids);
  const { outputs: _old, ...rest } = design;
  return (field === undefined ? rest : { ...rest, outputs: field }) as D;
}

/**
 * Reads a file's `outputs` value for `readDesign`: a list of node ids. Entries that are not ids are reported (the
 * error names the entry) and left out; whether each names a node is the analysis' check (`outputsErrors`).
 * @returns the ids, or a fatal reason when the value is not a list
 */
export function readOutputs(raw: unknown, idPattern: RegExp, issues: AnalysisError[]): { ids: string[] } | { error: string } {
  if (!Array.isArray(raw)) return { error: 'not a Convas design: "outputs" must be a list of node ids' };
  const ids: string[] = [];
  raw.forEach((v, k) => {
    if (typeof v === 'string' && idPattern.test(v)) ids.push(v);
    else {
      const shown = typeof v === 'string' ? JSON.stringify(v.length > 70 ? v.slice(0, 70) + '…' : v) : JSON.stringify(v) ?? String(v);
      issues.push({ field: 'outputs', message: `outputs entry ${k + 1} is ${shown.slice(0, 80)}: expected a node id` });
    }
  });
  return { ids };
}
