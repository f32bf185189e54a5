/**
 * The command line per process (`convas --help`, `summary presets/resnet50.convas.json --json`), built (dist-cli/,
 * what `npm ci` makes) and from the sources through tsx, against torchinfo's method: PyTorch building
 * torchvision's ResNet-50 and running a hooked forward pass on one 224×224 image, in one Python process.
 * Also `convas profile` of ResNet-50 on wasm (its five slowest layers with MACs/ms go in the note) and tfjs's
 * measured peak of a layer-by-layer pass against the liveness peak.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainDesign, disconnectedPiecesDesign, factorizableChainDesign, unreachableCycleDesign } from './designs.ts';
import { summarize, type BenchResult } from './harness.ts';

const RESNET50 = 'presets/resnet50.convas.json';

const HOOKED = `
import torch, torchvision
net = torchvision.models.resnet50().eval()
sizes = []
def hook(m, i, o): sizes.append(o.numel())
for m in net.modules():
    if not list(m.children()): m.register_forward_hook(hook)
with torch.no_grad(): net(torch.zeros(1, 3, 224, 224))
print(sum(p.numel() for p in net.parameters()), len(sizes))
`;

/**
 * Wall time of `runs` processes (ms), after one that warms the file cache. An exit status above `maxStatus` throws
 * (`summary` exits 1 on a design with errors, which a benchmark of invalid designs allows).
 */
function perProcess(cmd: string, args: string[], runs: number, env: NodeJS.ProcessEnv = process.env, maxStatus = 0): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 1 << 28 });
    const ms = performance.now() - t0;
    if (r.status === null || r.status > maxStatus) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
    if (i > 0) out.push(ms); // the first warms the file cache
  }
  return out;
}

export async function benchCli(): Promise<BenchResult[]> {
  spawnSync('node', ['scripts/build-cli.mjs'], { stdio: 'inherit' });
  const source = { ...process.env, CONVAS_FROM_SOURCE: '1' };
  const help = perProcess('node', ['bin/convas.js', '--help'], 7);
  const summary = perProcess('node', ['bin/convas.js', 'summary', RESNET50, '--json'], 7);
  const helpSource = perProcess('node', ['bin/convas.js', '--help'], 5, source);
  const summarySource = perProcess('node', ['bin/convas.js', 'summary', RESNET50, '--json'], 5, source);
  const torch = perProcess('/usr/bin/python3', ['-c', HOOKED], 5);
  const med = (r: number[]) => summarize('', r, 'ms').median;
  const results = [
    summarize('convas --help (built, per process)', help, 'ms'),
    summarize('convas summary resnet50 --json (built, per process)', summary, 'ms'),
    summarize('convas --help (sources through tsx)', helpSource, 'ms'),
    summarize('convas summary resnet50 --json (sources through tsx)', summarySource, 'ms'),
    summarize('PyTorch: torchvision ResNet-50 built + hooked forward (per process)', torch, 'ms'),
  ];
  for (const [name, runs] of [['--help', help], ['summary', summary]] as const) {
    const ratios = torch.map((t, i) => t / runs[i % runs.length]);
    const r = summarize(`hooked-forward ÷ convas ${name} (built)`, ratios, 'ratio');
    r.target = '≥ 10';
    r.met = med(torch) / med(runs) >= 10;
    results.push(r);
  }
  results.push(...(await benchCliLarge()));
  return results;
}

/**
 * `convas summary FILE --json` per process (built, as `benchCli` builds it) on large designs, less the same command on a 5-layer design:
 * what the design itself costs a process (parse, analysis, advice, memory, JSON), Node's start and the module
 * loading taken out. Runs alternate between the two files so that machine noise hits both alike; each difference is
 * one pair's. Issue 23 asks under 300 ms for the 10,001-layer chain; the unreachable cycle and the disconnected
 * pieces at 2,500, 5,000 and 10,000 layers show the work is linear (twice the layers, about twice the time), and so
 * does a chain of 5×5 convs and batch norms at 1,000, 2,000 and 4,000 layers, where advice makes a candidate per layer.
 */
export async function benchCliLarge(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'convas-bench-'));
  try {
    const file = (name: string, d: object) => {
      const path = join(dir, `${name}.convas.json`);
      writeFileSync(path, JSON.stringify(d));
      return path;
    };
    const small = file('chain5', chainDesign(5));
    const cases: [string, string, number | undefined][] = [['chain 10,001 layers', file('chain10001', chainDesign(10_001)), 300]];
    for (const n of [2_500, 5_000, 10_000]) {
      const size = n.toLocaleString('en-US');
      cases.push([`unreachable cycle ${size} layers`, file(`cycle${n}`, unreachableCycleDesign(n)), undefined]);
      cases.push([`disconnected pieces ${size} layers`, file(`pieces${n}`, disconnectedPiecesDesign(n)), undefined]);
    }
    for (const n of [1_000, 2_000, 4_000]) {
      cases.push([`5×5 convs and batch norms ${n.toLocaleString('en-US')} layers`, file(`conv5x5-${n}`, factorizableChainDesign(n)), undefined]);
    }
    const results: BenchResult[] = [];
    for (const [name, path, max] of cases) {
      const diffs: number[] = [];
      for (let i = 0; i < 7; i++) {
        const [a] = perProcess('node', ['bin/convas.js', 'summary', path, '--json'], 1, process.env, 1);
        const [b] = perProcess('node', ['bin/convas.js', 'summary', small, '--json'], 1);
        diffs.push(a - b);
      }
      results.push(summarize(`convas summary --json per process (built): ${name} − 5-layer chain`, diffs, 'ms', max,
        'paired runs, each the large file\'s time less the small one\'s'));
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** ResNet-50 profiled on wasm: the pass, the layers' sum, the five slowest, the measured and liveness peaks. */
export async function benchProfile(): Promise<BenchResult[]> {
  const { analyzeText, inferencePeak, profileTable, formatInt } = await import('../src/engine/index.ts');
  const { compileDesign, tf } = await import('../src/drivers/compile/index.ts');
  const { setupNodeBackend } = await import('../src/drivers/compile/node-backend.ts');
  const { profileCompiled } = await import('../src/drivers/compile/profile.ts');
  const loaded = analyzeText(readFileSync(RESNET50, 'utf8'));
  if (!loaded.ok) throw new Error(loaded.error);
  await setupNodeBackend('wasm');
  const compiled = compileDesign(loaded.design);
  const x = tf.randomUniform([1, 224, 224, 3]);
  const p = await profileCompiled(compiled, [x], { runs: 5 });
  x.dispose();
  compiled.model.dispose();
  const table = profileTable(loaded.design, p.nodes);
  const slow = table.rows.slice(0, 5).map((r) => `${r.label} ${r.ms.toFixed(1)} ms (${r.macsPerMs === null ? '–' : formatInt(Math.round(r.macsPerMs))} MACs/ms)`).join('; ');
  const peak = inferencePeak(loaded.analysis.nodes, 1).inferencePeakBytes;
  return [
    summarize('ResNet-50 profile, wasm: layer-by-layer pass (median of 5)', [p.forwardMs], 'ms', undefined, `layers sum to ${table.sumMs.toFixed(1)} ms; one predict ${p.predictMs.toFixed(1)} ms; five slowest: ${slow}`),
    summarize('ResNet-50 inference peak: tfjs measured (MB)', [p.measuredPeakBytes / 1e6], 'MB', undefined,
      `liveness rule ${(peak / 1e6).toFixed(2)} MB; tfjs ${(p.measuredPeakBytes / peak).toFixed(2)}× (helper padding layers and the input held by the caller)`),
  ];
}
