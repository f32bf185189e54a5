/**
 * `convas import resnet50.onnx --out … --weights-out …` per process (the built CLI, what `npm ci` makes): the whole
 * command (Node's start, reading the 98 MB file, the reader, the analysis, writing the design and the tfjs weights),
 * timed and its peak resident memory read by GNU time (`/usr/bin/time -f %M`, KiB). The model is torchvision's
 * ResNet-50 (weights=None, seeded) at 224×224, exported by scripts/export_onnx_models.py with /usr/bin/python3. The
 * issue's target: under 3 s in the CLI.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarize, type BenchResult } from './harness.ts';

const GNU_TIME = '/usr/bin/time';

export async function benchOnnxImport(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'convas-bench-onnx-'));
  try {
    const exported = spawnSync('/usr/bin/python3', ['scripts/export_onnx_models.py', dir, 'resnet50'], { encoding: 'utf8' });
    if (exported.status !== 0) throw new Error(`exporting ResNet-50 with /usr/bin/python3 failed: ${exported.stderr.slice(-400)}`);
    spawnSync('node', ['scripts/build-cli.mjs'], { stdio: 'inherit' });
    const model = join(dir, 'resnet50_o13.onnx');
    const args = ['bin/convas.js', 'import', model, '--out', join(dir, 'resnet50.convas.json'), '--weights-out', join(dir, 'weights')];
    const measure = existsSync(GNU_TIME);
    const ms: number[] = [];
    const mb: number[] = [];
    const runs = 5;
    for (let i = 0; i < runs + 1; i++) {
      const t0 = performance.now();
      const r = measure
        ? spawnSync(GNU_TIME, ['-f', 'maxrss %M', 'node', ...args], { encoding: 'utf8' })
        : spawnSync('node', args, { encoding: 'utf8' });
      const took = performance.now() - t0;
      if (r.status !== 0) throw new Error(`convas import failed: ${r.stderr.slice(-400)}`);
      if (i === 0) continue; // the first warms the file cache
      ms.push(took);
      const rss = /maxrss (\d+)/.exec(r.stderr);
      if (rss) mb.push(Number(rss[1]) / 1024);
    }
    const results = [summarize('convas import resnet50.onnx --weights-out (built, per process)', ms, 'ms', 3000)];
    results.push(mb.length
      ? summarize('convas import resnet50.onnx: peak resident memory (MiB)', mb, 'MB', undefined, 'GNU time\'s maximum resident set size')
      : summarize('convas import resnet50.onnx: peak resident memory (MiB)', [], 'MB', undefined, `${GNU_TIME} is missing`));
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
