/**
 * The analysis `convas summary --json` prints (docs/analysis.md#summary-json): the analysis with each node's
 * `outputBytes`, `totals.memory` and the `advice` list added; every field of the analysis kept.
 */

import { adviseDetailed, contractAdvice, type Advice, type AdviceDetail } from './advice.ts';
import { memoryTotals, outputBytes, type MemoryTotals } from './memory.ts';
import { inferencePeak } from './liveness.ts';
import { paramPrecisionBytes, type ParamPrecisionBytes } from './param-bytes.ts';
import type { Analysis, Design, NodeAnalysis, Totals } from '../contract/types.ts';

/**
 * `totals.memory` of `summary --json`: torchinfo's sums, the inference peak by liveness
 * (docs/analysis.md#peak-memory-by-liveness) and the weights at float16 and int8 (docs/analysis.md#weights-at-lower-precision).
 */
export type ReportMemory = MemoryTotals & ParamPrecisionBytes & { inferencePeakBytes: number; peakNodeId: string | null };

export type NodeReport = NodeAnalysis & { outputBytes: number };

export interface AnalysisReport extends Omit<Analysis, 'nodes' | 'totals'> {
  totals: Totals & { memory: ReportMemory };
  nodes: NodeReport[];
  advice: Advice[];
}

/**
 * Every figure of `totals.memory` for `batch` images: torchinfo's sums (`memoryTotals`), then the liveness peak
 * and the lower-precision weight sizes.
 * @throws RangeError for a batch that is not a positive integer
 */
export function reportMemory(design: Design, analysis: Analysis, batch = 1): ReportMemory {
  const { inferencePeakBytes, peakNodeId } = inferencePeak(analysis.nodes, batch);
  return { ...memoryTotals(analysis, batch), inferencePeakBytes, peakNodeId, ...paramPrecisionBytes(design, analysis) };
}

/**
 * The analysis with the memory figures for `batch` images: `outputBytes` on each node, `totals.memory`.
 * @throws RangeError for a batch that is not a positive integer
 */
export function withMemory(design: Design, analysis: Analysis, batch = 1): Omit<AnalysisReport, 'advice'> {
  const memory = reportMemory(design, analysis, batch);
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
  return { ...withMemory(design, analysis, batch), advice: detailed.map(contractAdvice) };
}
