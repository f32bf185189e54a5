/**
 * Compile and forward pass in Node (tfjs wasm backend):
 * - ResNet-50 (the Keras preset) compiled by Convas vs the same network written by hand with the tfjs layers
 *   API: forward-pass time ratio, measured side by side in alternating order (target ≤ 1.05).
 * - Compile time of DenseNet-121 (target < 1000 ms).
 */

import { readFileSync } from 'node:fs';
import { parseDesignText } from '../src/core/index.ts';
import type { Design } from '../src/core/index.ts';
import { compileDesign, estimateMemoryBytes, tf } from '../src/compile/index.ts';
import { setupNodeBackend } from '../src/compile/node-backend.ts';
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
  return results;
}
