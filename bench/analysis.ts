/** Analysis benchmarks: full analysis of synthetic designs, an incremental edit, and importing a large file. */

import { analyze, AnalysisCache, parseDesignText, type Design } from '../src/core/index.ts';
import { GENERATORS } from './designs.ts';
import { summarize, time, type BenchResult } from './harness.ts';

const TARGETS: Record<number, number> = { 1000: 5, 10_000: 50 };

export async function benchAnalysis(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const [shape, gen] of Object.entries(GENERATORS)) {
    for (const n of [100, 1000, 10_000, 50_000]) {
      const design = gen(n);
      const runs = await time(() => analyze(design), n >= 50_000 ? 7 : 15, 3);
      results.push(summarize(`analyze ${shape} ${design.nodes.length} nodes`, runs, 'ms', TARGETS[n]));
    }
  }

  // One parameter edit in a 10,000-node design, re-analysed with the previous run's cache.
  for (const [shape, gen] of Object.entries(GENERATORS)) {
    const base = gen(10_000);
    const target = base.nodes.findLastIndex((n, i) => n.kind === 'conv2d' && i < base.nodes.length * 0.9);
    const cache = new AnalysisCache();
    analyze(base, { cache });
    let flip = false;
    const runs = await time(() => {
      flip = !flip;
      const node = base.nodes[target];
      const edited: Design = { ...base, nodes: base.nodes.slice() };
      edited.nodes[target] = { ...node, params: { ...node.params, filters: flip ? 16 : 8 } };
      return analyze(edited, { cache });
    }, 21, 3);
    results.push(summarize(`edit one node of ${shape} ${base.nodes.length} (incremental)`, runs, 'ms', 5,
      `edit at node ${target}; unchanged nodes reuse their cached results`));
  }

  // Import: parse + validate + analyse a 10,000-node file.
  const text = JSON.stringify(GENERATORS.inception(10_000));
  const runs = await time(() => {
    const r = parseDesignText(text);
    if (!r.ok) throw new Error(r.error);
    return analyze(r.design, { issues: r.issues });
  }, 11, 2);
  results.push(summarize(`import 10,000-node file (${(text.length / 1e6).toFixed(1)} MB): parse + validate + analyse`, runs, 'ms', 200));
  return results;
}
