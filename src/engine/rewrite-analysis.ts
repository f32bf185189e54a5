/**
 * What the advice needs to know of a rewritten copy of a design (its totals, its validity, its receptive fields),
 * at the cost of the nodes it touches rather than of the whole design. A rewrite replaces a few nodes (`rewritten`,
 * which keep their ids) and adds a few (`added`): only those are analysed (`analyzeNodes`), on `part` (those nodes
 * and the edges into them, as the rewrite leaves them), from the rows of the design it rewrote. Where every
 * rewritten node comes out without error and with the output shape it had, every node downstream computes the
 * shape, params, MACs and errors it computed before (a row's counts and errors read its inputs' shapes, never their
 * fields), so the copy's totals are the old ones plus the difference of those few rows and its validity is the
 * old one. Its receptive fields are all the old ones where the rewritten nodes keep theirs; where one of them has
 * another field (by `sameField`), that node, which is in both designs, already answers "not the same fields".
 * Anywhere else (a shape that changes, an error, fields that differ only in their phases, a design with repeated
 * ids) the whole copy is built and analysed. Either way the numbers are those of `analyze(whole)` (a property test
 * holds the two to it on random designs).
 */

import { analyze, analyzeNodes, type AnalysisCache } from './analyze.ts';
import type { Analysis, Design, NodeAnalysis, ReceptiveField } from '../contract/types.ts';

/**
 * A rewrite: the nodes it changes and adds, the part of the rewritten copy that holds them, and the whole copy,
 * built only when asked for (`whole()` may cost the size of the design; everything else costs the rewrite's size).
 */
export interface Rewrite {
  /** ids of the nodes it changes (they keep their ids) */
  rewritten: string[];
  /** ids of the nodes it adds, as `part` holds them */
  added: string[];
  /** a design holding at least the rewritten and added nodes and every edge into them, as the rewrite leaves them */
  part: Design;
  /** the whole rewritten copy of the design */
  whole: () => Design;
}

/** The analysis of a rewritten copy, as far as the advice reads it. */
export interface RewriteAnalysis {
  params: number;
  macs: number;
  /** the copy's validity; on a design that was invalid already, asking for it analyses the whole copy */
  readonly valid: boolean;
  /** the copy's row of a node the rewrite changed or added */
  rowOf(id: string): NodeAnalysis | undefined;
  /** whether every node of the original keeps its receptive field (size, stride, padding, global) in the copy */
  sameFields: boolean;
}

/** The rows of a design by node id (a Map, or any lookup that answers as one). */
export type RowsById = Pick<ReadonlyMap<string, NodeAnalysis>, 'get'>;

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The same field: size, stride, padding and whether it is global (what the advice's saving line reports). */
export function sameField(a: ReceptiveField | null, b: ReceptiveField | null): boolean {
  if (a === null || b === null) return a === b;
  return a.size[0] === b.size[0] && a.size[1] === b.size[1] && a.stride[0] === b.stride[0] && a.stride[1] === b.stride[1]
    && a.padding[0] === b.padding[0] && a.padding[1] === b.padding[1] && !a.global === !b.global;
}

/**
 * The rows of a rewrite's changed and added nodes, analysed on `rw.part` from `byId` (the rows of the design it
 * rewrote); null where they cannot be analysed apart (`analyzeNodes`). For a rule that reads a rewritten node's row
 * before it asks for totals (the checkerboard's output shape).
 */
export function analyzeRewrittenNodes(byId: RowsById, rw: Rewrite): ReturnType<typeof analyzeNodes> {
  return analyzeNodes(rw.part, [...rw.added, ...rw.rewritten], (id) => byId.get(id));
}

/**
 * The analysis of `rw.whole()`, made from `before` (the analysis of the design it rewrote, whose rows `byId` indexes)
 * by analysing the rewritten and added nodes alone where that is exact (this module's comment), else in full with
 * `cache`. `uniqueIds` says the design has no repeated node id (a repeated id is one node for the rows in `byId`,
 * two for `analyze`).
 * @example analyzeRewrite(analysis, byId, { rewritten: ['conv5x5'], added: ['conv5x5_3x3_1'], part, whole }, true).params
 */
export function analyzeRewrite(
  before: Analysis, byId: RowsById, rw: Rewrite, uniqueIds: boolean, cache?: AnalysisCache,
): RewriteAnalysis {
  const part = uniqueIds ? analyzeRewrittenNodes(byId, rw) : null;
  let sameFields = true;
  const local = part !== null && part.errors.length === 0 && rw.rewritten.every((id) => {
    const old = byId.get(id);
    const now = part.rows.get(id)!;
    // only a node the analysis computed (it has a shape) is known to be what a whole analysis of the copy gives
    // from the same inputs; one it did not (an error, a cycle, an input that failed) sends the copy to the whole path
    if (!old?.outputShape || !sameJson(old.outputShape, now.outputShape)) return false;
    if (sameJson(old.receptiveField, now.receptiveField)) return true;
    sameFields = false;
    // fields that differ in their phases alone may still differ downstream: only the whole copy says
    return !sameField(old.receptiveField, now.receptiveField);
  });
  if (part && local) {
    let params = before.totals.params;
    let macs = before.totals.macs;
    for (const row of part.rows.values()) {
      params += row.params;
      macs += row.macs;
    }
    for (const id of rw.rewritten) {
      params -= byId.get(id)!.params;
      macs -= byId.get(id)!.macs;
    }
    // an invalid design's errors may include issues of its file that an analysis of the copy alone does not repeat
    let valid: boolean | undefined = before.valid ? true : undefined;
    return {
      params, macs, rowOf: (id) => part.rows.get(id), sameFields,
      get valid() {
        return (valid ??= analyze(rw.whole(), { cache }).valid);
      },
    };
  }
  const after = analyze(rw.whole(), { cache });
  const afterById = new Map(after.nodes.map((n) => [n.id, n]));
  const fieldsKept = before.nodes.every((n) => {
    const m = afterById.get(n.id);
    return !m || sameField(n.receptiveField, m.receptiveField);
  });
  return { params: after.totals.params, macs: after.totals.macs, valid: after.valid, rowOf: (id) => afterById.get(id), sameFields: fieldsKept };
}
