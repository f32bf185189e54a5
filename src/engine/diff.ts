/**
 * Comparison of two designs (docs/advice.md#comparison, `convas diff`): nodes matched by id, totals AFTER − BEFORE.
 */

import { getLayerKind } from './registry.ts';
import { validateParams } from '../contract/params.ts';
import { sameShape } from '../contract/shape.ts';
import type { Analysis, Design, DesignNode, NodeAnalysis, Shape, Totals } from '../contract/types.ts';

/** One node that differs: its count deltas (AFTER − BEFORE, a missing node counting 0) and its new shape. */
export interface NodeDiff {
  id: string;
  change: 'added' | 'removed' | 'changed';
  params: number;
  macs: number;
  /** the node's output shape in AFTER (null for a removed node or one AFTER cannot compute) */
  outputShape: Shape | null;
}

/** `convas diff --json`. */
export interface DesignDiff {
  totals: Totals;
  nodes: NodeDiff[];
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
      nodes.push({ id, change: 'added', params, macs, outputShape });
      continue;
    }
    const o = bRes.get(id);
    const differs = old.kind !== node.kind
      || canonical(normalizedParams(old)) !== canonical(normalizedParams(node))
      || !sameShape(o?.outputShape ?? null, outputShape)
      || countsDiffer(o, r);
    if (differs) nodes.push({ id, change: 'changed', params: params - (o?.params ?? 0), macs: macs - (o?.macs ?? 0), outputShape });
  }
  for (const id of bNodes.keys()) {
    if (aNodes.has(id)) continue;
    const o = bRes.get(id);
    nodes.push({ id, change: 'removed', params: 0 - (o?.params ?? 0), macs: 0 - (o?.macs ?? 0), outputShape: null });
  }
  return { totals, nodes };
}

function countsDiffer(a: NodeAnalysis | undefined, b: NodeAnalysis | undefined): boolean {
  const z = { params: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0 };
  const x = a ?? z;
  const y = b ?? z;
  return x.params !== y.params || x.trainableParams !== y.trainableParams || x.nonTrainableParams !== y.nonTrainableParams || x.macs !== y.macs;
}
