/**
 * Comparison of two designs (docs/advice.md#comparison, `convas diff`): nodes matched by id, totals AFTER − BEFORE.
 */

import { getLayerKind } from './registry.ts';
import { validateParams } from '../contract/params.ts';
import { sameShape } from '../contract/shape.ts';
import type { Analysis, Design, DesignNode, NodeAnalysis, ReceptiveField, Shape, Totals } from '../contract/types.ts';

/**
 * A layer as one side of the comparison has it (an extension of the contract's diff: its old and new figures).
 * `params` is the parameter count, as in the analysis; `receptiveField` null after flatten or a global pool.
 */
export interface DiffSide {
  kind: string;
  params: number;
  macs: number;
  outputShape: Shape | null;
  receptiveField: ReceptiveField | null;
}

/**
 * One setting of a layer that differs (an extension of the contract's diff), with the label the inspector shows
 * ("Kernel size", not `kernelSize`) and the values as the kind reads them (defaults filled, `3` read as `[3, 3]`);
 * `undefined` (left out of the JSON) where the kind on that side has no such setting.
 */
export interface SettingChange {
  name: string;
  label: string;
  before?: unknown;
  after?: unknown;
}

/** One node that differs: its count deltas (AFTER − BEFORE, a missing node counting 0) and its new shape. */
export interface NodeDiff {
  id: string;
  change: 'added' | 'removed' | 'changed';
  params: number;
  macs: number;
  /** the node's output shape in AFTER (null for a removed node or one AFTER cannot compute) */
  outputShape: Shape | null;
  /** the layer in BEFORE (null for an added one); not in the contract, added */
  before: DiffSide | null;
  /** the layer in AFTER (null for a removed one); not in the contract, added */
  after: DiffSide | null;
  /** a changed layer's settings that differ, in the kind's field order (empty for added and removed ones) */
  settings: SettingChange[];
}

/** `convas diff --json`: the contract's `totals` (AFTER − BEFORE) and `nodes`, and each side's own totals. */
export interface DesignDiff {
  totals: Totals;
  nodes: NodeDiff[];
  /** BEFORE's totals (not in the contract, added, so that old → new can be told without a second command) */
  totalsBefore: Totals;
  /** AFTER's totals (likewise) */
  totalsAfter: Totals;
}

/** A node's params as the kind reads them (defaults filled, `3` and `[3, 3]` alike), else as written. */
function normalizedParams(node: DesignNode): unknown {
  const kind = getLayerKind(node.kind);
  return (kind && validateParams(kind.params, node.params).params) ?? node.params;
}

/** JSON with object keys sorted, so that key order never makes two params differ. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}


/** One side's figures of a node: its kind from the design, its counts and shapes from the analysis (0 where missing). */
function side(node: DesignNode, r: NodeAnalysis | undefined): DiffSide {
  return { kind: node.kind, params: r?.params ?? 0, macs: r?.macs ?? 0, outputShape: r?.outputShape ?? null, receptiveField: r?.receptiveField ?? null };
}

/**
 * The settings of two versions of a node that differ, as the kinds read them: the AFTER kind's fields in its
 * order, then those only BEFORE's kind has; a label from the kind that has the field, else the file's key.
 */
function settingChanges(old: DesignNode, node: DesignNode): SettingChange[] {
  const before = normalizedParams(old);
  const after = normalizedParams(node);
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const specs = { ...getLayerKind(old.kind)?.params, ...getLayerKind(node.kind)?.params } as Record<string, { label: string } | undefined>;
  const keys = [...new Set([...Object.keys(getLayerKind(node.kind)?.params ?? {}), ...Object.keys(a), ...Object.keys(getLayerKind(old.kind)?.params ?? {}), ...Object.keys(b)])];
  const out: SettingChange[] = [];
  for (const key of keys) {
    const x = Object.hasOwn(b, key) ? b[key] : undefined;
    const y = Object.hasOwn(a, key) ? a[key] : undefined;
    if (canonical(x ?? null) === canonical(y ?? null)) continue;
    out.push({ name: key, label: specs[key]?.label ?? key, before: x, after: y });
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function firstById<T extends { id: string }>(list: T[]): Map<string, T> {
  const m = new Map<string, T>();
  for (const x of list) if (!m.has(x.id)) m.set(x.id, x);
  return m;
}

/**
 * What changed from BEFORE to AFTER. Changed and added nodes come in AFTER's file order, then removed ones
 * in BEFORE's. A node is `changed` when its kind, its params (as the kind reads them), its output shape or
 * any of its counts differ; unchanged nodes are left out.
 * @example diffDesigns(d1, analyze(d1), d2, analyze(d2)).totals.params // → −28608 for the 5×5 → two 3×3 rewrite
 */
export function diffDesigns(before: Design, beforeAnalysis: Analysis, after: Design, afterAnalysis: Analysis): DesignDiff {
  const bt = beforeAnalysis.totals;
  const at = afterAnalysis.totals;
  const totals: Totals = {
    params: at.params - bt.params,
    trainableParams: at.trainableParams - bt.trainableParams,
    nonTrainableParams: at.nonTrainableParams - bt.nonTrainableParams,
    macs: at.macs - bt.macs,
  };
  const bNodes = firstById(before.nodes);
  const aNodes = firstById(after.nodes);
  const bRes = firstById(beforeAnalysis.nodes);
  const aRes = firstById(afterAnalysis.nodes);
  const nodes: NodeDiff[] = [];
  for (const [id, node] of aNodes) {
    const r = aRes.get(id);
    const params = r?.params ?? 0;
    const macs = r?.macs ?? 0;
    const outputShape = r?.outputShape ?? null;
    const old = bNodes.get(id);
    if (!old) {
      nodes.push({ id, change: 'added', params, macs, outputShape, before: null, after: side(node, r), settings: [] });
      continue;
    }
    const o = bRes.get(id);
    const settingsDiffer = canonical(normalizedParams(old)) !== canonical(normalizedParams(node));
    const settings = old.kind !== node.kind || settingsDiffer ? settingChanges(old, node) : [];
    const differs = old.kind !== node.kind
      || settingsDiffer
      || !sameShape(o?.outputShape ?? null, outputShape)
      || countsDiffer(o, r);
    if (differs) {
      nodes.push({
        id, change: 'changed', params: params - (o?.params ?? 0), macs: macs - (o?.macs ?? 0), outputShape,
        before: side(old, o), after: side(node, r), settings,
      });
    }
  }
  for (const [id, old] of bNodes) {
    if (aNodes.has(id)) continue;
    const o = bRes.get(id);
    nodes.push({ id, change: 'removed', params: 0 - (o?.params ?? 0), macs: 0 - (o?.macs ?? 0), outputShape: null, before: side(old, o), after: null, settings: [] });
  }
  return { totals, nodes, totalsBefore: pickTotals(bt), totalsAfter: pickTotals(at) };
}

/** The four contract totals alone (the analysis's totals object may carry more). */
function pickTotals(t: Totals): Totals {
  return { params: t.params, trainableParams: t.trainableParams, nonTrainableParams: t.nonTrainableParams, macs: t.macs };
}

function countsDiffer(a: NodeAnalysis | undefined, b: NodeAnalysis | undefined): boolean {
  const z = { params: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0 };
  const x = a ?? z;
  const y = b ?? z;
  return x.params !== y.params || x.trainableParams !== y.trainableParams || x.nonTrainableParams !== y.nonTrainableParams || x.macs !== y.macs;
}

/**
 * Whether two designs compute the same network: the same layers (id, kind, name, and params as the kind reads
 * them) in the same order, the same wires in the same order (source, target, port: a merge's input order,
 * docs/design-format.md#input-order) and the same outputs. Positions, groups (frames, collapse) and the design's
 * name and description change only the drawing, so a run or a profile of one is still a run of the other: the
 * auto-layout that places a design opened without positions, or a dragged layer, does not make a run stale.
 * @example sameNetwork(d, moveNodes(d, { conv1: { x: 0, y: 0 } })) // → true
 */
export function sameNetwork(a: Design, b: Design): boolean {
  if (a === b) return true;
  if (a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i];
    const y = b.nodes[i];
    if (x === y) continue;
    if (x.id !== y.id || x.kind !== y.kind || x.name !== y.name) return false;
    if (x.params !== y.params && canonical(normalizedParams(x)) !== canonical(normalizedParams(y))) return false;
  }
  if (a.edges !== b.edges) {
    for (let i = 0; i < a.edges.length; i++) {
      const x = a.edges[i];
      const y = b.edges[i];
      if (x.source !== y.source || x.target !== y.target || x.targetPort !== y.targetPort) return false;
    }
  }
  return canonical(a.outputs ?? null) === canonical(b.outputs ?? null);
}
