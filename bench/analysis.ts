/**
 * Analysis benchmarks: full analysis of synthetic designs, an incremental edit, importing a large file, and the
 * advice (docs/advice.md) on real presets.
 */

import { readFileSync } from 'node:fs';
import { adviseDetailed, analysisReport, analyze, AnalysisCache, parseDesignText, type Design } from '../src/engine/index.ts';
import { chainDesign, disconnectedPiecesDesign, GENERATORS, unreachableCycleDesign } from './designs.ts';
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
  results.push(...(await benchAdvice()));
  results.push(...(await benchSummaryJson()));
  return results;
}

/**
 * What `convas summary --json` computes (analysis, advice, memory, the JSON text) on shapes a walk could stall on:
 * a cycle no input reaches and disconnected pieces, at three sizes each (linear work doubles with N), beside a
 * 10,001-layer chain. The run is in one warm process: `npm run bench` reports the work, not Node's start.
 */
export async function benchSummaryJson(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const cases: [string, (n: number) => Design, number[]][] = [
    ['unreachable cycle', unreachableCycleDesign, [2_500, 5_000, 10_000]],
    ['disconnected pieces', disconnectedPiecesDesign, [2_500, 5_000, 10_000]],
    ['chain', chainDesign, [10_001]],
  ];
  for (const [shape, gen, sizes] of cases) {
    for (const n of sizes) {
      const text = JSON.stringify(gen(n));
      const runs = await time(() => {
        const r = parseDesignText(text);
        if (!r.ok) throw new Error(r.error);
        const a = analyze(r.design, { issues: r.issues });
        return JSON.stringify(analysisReport(r.design, a, 1)).length;
      }, 7, 2);
      results.push(summarize(`summary --json work: ${shape} ${n} nodes`, runs, 'ms', undefined,
        'parse, analyse, advice, memory, JSON; linear: twice the nodes, about twice the time'));
    }
  }
  return results;
}

/**
 * The advice on presets: every candidate rewrite is made on a copy and analysed, so its cost is one analysis
 * per candidate. DenseNet-121 (427 layers, no rewrite saves anything) and Keras ResNet-50 (53 biases before
 * batch norm, each re-analysed).
 */
export async function benchAdvice(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const [file, max] of [['densenet121', 100], ['resnet50-keras', 1000]] as const) {
    const r = parseDesignText(readFileSync(new URL(`../presets/${file}.convas.json`, import.meta.url), 'utf8'));
    if (!r.ok) throw new Error(r.error);
    const analysis = analyze(r.design);
    let items = 0;
    const runs = await time(() => (items = adviseDetailed(r.design, analysis).length), 11, 2);
    results.push(summarize(`advice on ${file} (${r.design.nodes.length} layers)`, runs, 'ms', max,
      `${items} items; each candidate rewrite re-analysed`));
  }
  // every conv a candidate whose rewrite adds a node: the rewrites' new nodes are analysed alone (rewrite-analysis.ts)
  for (const n of [500, 1_000]) {
    const d = conv5x5Chain(n);
    const analysis = analyze(d);
    let items = 0;
    const runs = await time(() => (items = adviseDetailed(d, analysis).length), 5, 1);
    results.push(summarize(`advice on a chain of ${n.toLocaleString('en-US')} 5×5 convs`, runs, 'ms', undefined,
      `${items} items, each adding a node; 46 s at 1,000 when each copy was analysed whole`));
  }
  return results;
}

/** input → 5×5 conv → 5×5 conv → …: every conv is a candidate of rule 1 (two 3×3 convs). */
function conv5x5Chain(n: number): Design {
  const nodes: Design['nodes'] = [{ id: 'n0', kind: 'input', params: { shape: [16, 16, 8] } }];
  const edges: Design['edges'] = [];
  for (let i = 1; i < n; i++) {
    nodes.push({ id: `n${i}`, kind: 'conv2d', params: { filters: 8, kernelSize: 5, padding: 'same' } });
    edges.push({ id: `e${i}`, source: `n${i - 1}`, target: `n${i}` });
  }
  return { format: 'convas.design', version: 1, name: `5×5 chain ${n}`, nodes, edges };
}
