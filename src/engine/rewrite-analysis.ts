/**
 * What the advice needs to know of a rewritten copy of a design (its totals, its validity, its rows), without
 * analysing the whole copy for each candidate where that is not needed. A rewrite replaces a few nodes (`rewritten`,
 * which keep their ids) and adds a few (`added`): only those are analysed (`analyzeNodes`), from the rows of the
 * design it rewrote. Where every rewritten node comes out with the same output shape and the same receptive field
 * as before, every node downstream computes what it computed before, so the copy's totals are the old ones plus the
 * difference of those few rows: exactly what a full analysis gives. Anywhere else (a shape or field that changes,
 * an error, a design that was invalid to begin with) the copy is analysed whole. Either way the numbers are those of
 * `analyze(rewrite)` (a property test holds the two to it on random designs).
 */

import { analyze, analyzeNodes, type AnalysisCache } from './analyze.ts';
import type { Analysis, Design, NodeAnalysis, ReceptiveField } from '../contract/types.ts';

/** A rewrite: the rewritten copy, the ids of the nodes it changes and of those it adds. */
export interface Rewrite {
  design: Design;
  rewritten: string[];
  added: string[];
}

/** The analysis of a rewritten copy, as far as the advice reads it. */
export interface RewriteAnalysis {
  params: number;
  macs: number;
  valid: boolean;
  /** the copy's row of a node (undefined for a node it lacks) */
  rowOf(id: string): NodeAnalysis | undefined;
  /** whether every node of the original keeps its receptive field (size, stride, padding, global) in the copy */
  sameFields: boolean;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The same field: size, stride, padding and whether it is global (what the advice's saving line reports). */
export function sameField(a: ReceptiveField | null, b: ReceptiveField | null): boolean {
  if (a === null || b === null) return a === b;
  return a.size[0] === b.size[0] && a.size[1] === b.size[1] && a.stride[0] === b.stride[0] && a.stride[1] === b.stride[1]
    && a.padding[0] === b.padding[0] && a.padding[1] === b.padding[1] && !a.global === !b.global;
}

/**
 * The analysis of `rw.design`, made from `before` (the analysis of the design it rewrote, whose rows `byId` indexes)
 * by analysing the rewritten and added nodes alone where that is exact (this module's comment), else in full with
 * `cache`.
 * @example analyzeRewrite(design, analysis, byId, { design: r.design, rewritten: ['conv5x5'], added: ['conv5x5_3x3_1'] }).params
 */
export function analyzeRewrite(
  before: Analysis, byId: ReadonlyMap<string, NodeAnalysis>, rw: Rewrite, cache?: AnalysisCache,
): RewriteAnalysis {
  if (before.valid) {
    const part = analyzeNodes(rw.design, [...rw.added, ...rw.rewritten], (id) => byId.get(id));
    const unchangedBelow = part !== null && part.errors.length === 0 && rw.rewritten.every((id) => {
      const old = byId.get(id);
      const now = part.rows.get(id)!;
      return old !== undefined && sameJson(old.outputShape, now.outputShape) && sameJson(old.receptiveField, now.receptiveField);
    });
    if (part && unchangedBelow) {
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
      return { params, macs, valid: true, rowOf: (id) => part.rows.get(id) ?? byId.get(id), sameFields: true };
    }
  }
  const after = analyze(rw.design, { cache });
  const afterById = new Map(after.nodes.map((n) => [n.id, n]));
  const sameFields = before.nodes.every((n) => {
    const m = afterById.get(n.id);
    return !m || sameField(n.receptiveField, m.receptiveField);
  });
  return { params: after.totals.params, macs: after.totals.macs, valid: after.valid, rowOf: (id) => afterById.get(id), sameFields };
}
