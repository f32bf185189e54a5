/**
 * Compile and forward pass in Node (tfjs wasm backend):
 * - ResNet-50 (the Keras preset) compiled by Convas vs the same network written by hand with the tfjs layers
 *   API: forward-pass time ratio, measured side by side in alternating order (target ≤ 1.05).
 * - Compile time of DenseNet-121 (target < 1000 ms).
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, parseDesignText } from '../src/engine/index.ts';
import type { Design } from '../src/engine/index.ts';
import { compileDesign, estimateMemoryBytes, tf } from '../src/drivers/compile/index.ts';
import { setupNodeBackend } from '../src/drivers/compile/node-backend.ts';
import { timeAgainstHandWritten } from './resnet50-hand.ts';
import { summarize, time, type BenchResult } from './harness.ts';

function preset(name: string): Design {
  const r = parseDesignText(readFileSync(new URL(`../presets/${name}.convas.json`, import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(`${name}: ${r.error}`);
  return r.design;
}

export async function benchForward(): Promise<BenchResult[]> {
  await setupNodeBackend('wasm');
  const results: BenchResult[] = [];

  // ResNet-50: compiled vs hand-written, alternating so that machine noise hits both alike.
  const compiled = compileDesign(preset('resnet50-keras'), { seed: 1 }).model;
  const { a: compiledMs, b: handMs, ratios } = await timeAgainstHandWritten(compiled, 8, 2);
  compiled.dispose();
  results.push(summarize('ResNet-50 forward, compiled preset (wasm, batch 1)', compiledMs, 'ms'));
  results.push(summarize('ResNet-50 forward, hand-written tf.layers (wasm, batch 1)', handMs, 'ms'));
  results.push(summarize('ResNet-50 forward: compiled / hand-written', ratios, 'ratio', 1.05, 'same backend, alternating runs'));

  // DenseNet-121 compile time (analysis, graph building and seeded weight initialisation).
  const densenet = preset('densenet121');
  const compileRuns = await time(() => compileDesign(densenet, { seed: 1 }).model.dispose(), 5, 1);
  results.push(summarize('DenseNet-121 compile (incl. weight init)', compileRuns, 'ms', 1000));

  // Peak memory of a forward pass (tfjs engine bookkeeping: weights + live tensors) against the memory guard's
  // estimate (float32 weights + every activation kept), for the presets people run most.
  for (const id of ['resnet18', 'resnet50', 'vgg16']) {
    const c = compileDesign(preset(id), { seed: 1 });
    const input = tf.zeros([1, ...(c.model.inputs[0].shape.slice(1) as number[])]);
    const info = await tf.profile(async () => {
      const y = c.model.predict(input) as tf.Tensor;
      await y.data();
      y.dispose();
    });
    const estimate = estimateMemoryBytes(c.analysis, preset(id));
    const peak = info.peakBytes;
    results.push(summarize(`${id}: peak memory of a forward pass`, [peak / 2 ** 20], 'MB', undefined,
      `guard estimate ${(estimate / 2 ** 20).toFixed(0)} MB (peak / estimate ${(peak / estimate).toFixed(2)}); the guard never under-estimates when this is ≤ 1`));
    input.dispose();
    c.model.dispose();
  }
  results.push(...rssPeaks());
  return results;
}

/**
 * Real peaks: the resident memory of `convas run` (wasm) above an idle run, measured by /usr/bin/time, against
 * the guard's upper bound (`estimateMemoryBytes`), for designs that stress each of its terms. Peak / bound must
 * stay ≤ 1 (the bound holds).
 */
export function rssPeaks(): BenchResult[] {
  if (spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status !== 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'convas-rss-'));
  const conv = (shape: number[], convs: Record<string, unknown>[]): Design => ({
    format: 'convas.design', version: 1, name: 'rss',
    nodes: [{ id: 'in', kind: 'input', params: { shape } }, ...convs.map((params, i) => ({ id: `c${i}`, kind: 'conv2d', params }))],
    edges: convs.map((_, i) => ({ id: `e${i}`, source: i ? `c${i - 1}` : 'in', target: `c${i}` })),
  });
  const peak = (design: Design) => {
    const file = join(dir, 'd.json');
    writeFileSync(file, JSON.stringify(design));
    const r = spawnSync('/usr/bin/time', ['-f', 'peak %M', 'node', 'bin/convas.js', 'run', file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`convas run failed: ${r.stderr}`);
    return Number(/peak (\d+)/.exec(r.stderr)![1]) * 1024;
  };
  const idle = peak(conv([8, 8, 1], [{ filters: 1, kernelSize: 1 }]));
  const cases: [string, Design][] = [
    ['1-filter 1024×1024 kernel on 1024×1024×3 (XNNPACK packing)', conv([1024, 1024, 3], [{ filters: 1, kernelSize: 1024 }])],
    ['two 3×3 convs, 64 filters, on 512×512 (activations)', conv([512, 512, 3], [{ filters: 64, kernelSize: 3, padding: 'same' }, { filters: 64, kernelSize: 3, padding: 'same' }])],
    ['resnet50 preset', preset('resnet50')],
    ['vgg16 preset', preset('vgg16')],
  ];
  return cases.map(([name, design]) => {
    const used = peak(design) - idle;
    const bound = estimateMemoryBytes(analyze(design), design);
    return summarize(`${name}: peak RSS of convas run above idle`, [used / 2 ** 20], 'MB', undefined,
      `guard bound ${(bound / 2 ** 20).toFixed(0)} MB (peak / bound ${(used / bound).toFixed(2)}); the bound holds when this is ≤ 1`);
  });
}
