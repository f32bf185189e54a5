/**
 * The analysis `convas summary --json` prints (docs/analysis.md#summary-json): the analysis with each node's
 * `outputBytes`, `totals.memory` and the `advice` list added; every field of the analysis kept.
 */

import { adviseDetailed, contractAdvice, type Advice, type AdviceDetail } from './advice.ts';
import { memoryTotals, outputBytes, type MemoryTotals } from './memory.ts';
import type { Analysis, Design, NodeAnalysis, Totals } from '../contract/types.ts';

export type NodeReport = NodeAnalysis & { outputBytes: number };

export interface AnalysisReport extends Omit<Analysis, 'nodes' | 'totals'> {
  totals: Totals & { memory: MemoryTotals };
  nodes: NodeReport[];
  advice: Advice[];
}

/**
 * The analysis with the memory figures for `batch` images: `outputBytes` on each node, `totals.memory`.
 * @throws RangeError for a batch that is not a positive integer
 */
export function withMemory(analysis: Analysis, batch = 1): Omit<AnalysisReport, 'advice'> {
  const memory = memoryTotals(analysis, batch);
  return {
    ...analysis,
    totals: { ...analysis.totals, memory },
    nodes: analysis.nodes.map((n) => ({ ...n, outputBytes: outputBytes(n, batch) })),
  };
}

/**
 * Everything `convas summary --json` prints for a design and its analysis. `detailed` is the design's
 * `adviseDetailed` where the caller has it already (the table prints its lessons too).
 * @example analysisReport(d, analyze(d), 8).totals.memory.batch // → 8
 */
export function analysisReport(
  design: Design, analysis: Analysis, batch = 1, detailed: AdviceDetail[] = adviseDetailed(design, analysis),
): AnalysisReport {
  return { ...withMemory(analysis, batch), advice: detailed.map(contractAdvice) };
}
