/**
 * One interface for "a finding on a node, with the rewrite that answers it": a quick fix beside an analysis error
 * (quick-fixes.ts) and an advice item (advice.ts) are both one. The editor applies either by committing its rewrite
 * as one undo step, and only on the design it was found on (the store's applyQuickFix and applyAdvice), the view
 * following what it added; an advice item also makes room below for the layers it adds and can be previewed.
 */

import type { Design } from '../contract/index.ts';

export interface Finding {
  /** the node the finding is about: where the editor shows it */
  nodeId: string;
  /** what the person reads: a fix's button text, an advice item's message */
  message: string;
  /**
   * the whole design rewritten to answer it, from the design it was found on (a new object: the design given is
   * not changed); null where the finding rewrites nothing (a receptive field that misses part of the input), and
   * on an advice item listed without its copy (`adviseDetailed` without `rewrites`: `adviceAt` rebuilds it)
   */
  rewrite: Design | null;
  /** ids of the nodes the rewrite adds, in its node order (the view follows them) */
  added: string[];
}

/** The ids of `after`'s nodes that `before` lacks, in `after`'s order: what a rewrite added. */
export function addedNodeIds(before: Pick<Design, 'nodes'>, after: Pick<Design, 'nodes'>): string[] {
  const had = new Set(before.nodes.map((n) => n.id));
  return after.nodes.filter((n) => !had.has(n.id)).map((n) => n.id);
}
