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
import { summarize, time, type BenchResult } from './harness.ts';

function preset(name: string): Design {
  const r = parseDesignText(readFileSync(new URL(`../presets/${name}.convas.json`, import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(`${name}: ${r.error}`);
  return r.design;
}

/** Keras ResNet-50 (v1) written directly with tf.layers, the reference for the compiled preset. */
export function handWrittenResNet50(): tf.LayersModel {
  const L = tf.layers;
  const bn = (x: tf.SymbolicTensor) => L.batchNormalization({ axis: -1, epsilon: 1.001e-5 }).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor) => L.activation({ activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  const conv = (x: tf.SymbolicTensor, filters: number, k: number, s = 1, padding: 'valid' | 'same' = 'valid') =>
    L.conv2d({ filters, kernelSize: k, strides: s, padding }).apply(x) as tf.SymbolicTensor;
  const block = (x: tf.SymbolicTensor, f: number, stride: number, project: boolean) => {
    const shortcut = project ? bn(conv(x, 4 * f, 1, stride)) : x;
    let y = relu(bn(conv(x, f, 1, stride)));
    y = relu(bn(conv(y, f, 3, 1, 'same')));
    y = bn(conv(y, 4 * f, 1));
    return relu(L.add().apply([shortcut, y]) as tf.SymbolicTensor);
  };
  const input = tf.input({ shape: [224, 224, 3] });
  let x = L.zeroPadding2d({ padding: 3 }).apply(input) as tf.SymbolicTensor;
  x = relu(bn(conv(x, 64, 7, 2)));
  x = L.zeroPadding2d({ padding: 1 }).apply(x) as tf.SymbolicTensor;
  x = L.maxPooling2d({ poolSize: 3, strides: 2 }).apply(x) as tf.SymbolicTensor;
  for (const [f, n, s] of [[64, 3, 1], [128, 4, 2], [256, 6, 2], [512, 3, 2]]) {
    for (let i = 0; i < n; i++) x = block(x, f, i === 0 ? s : 1, i === 0);
  }
  x = L.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = L.dense({ units: 1000, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

export async function benchForward(): Promise<BenchResult[]> {
  await setupNodeBackend('wasm');
  const results: BenchResult[] = [];

  // ResNet-50: compiled vs hand-written, alternating so that machine noise hits both alike.
  const compiled = compileDesign(preset('resnet50-keras'), { seed: 1 }).model;
  const hand = handWrittenResNet50();
  if (hand.countParams() !== compiled.countParams()) {
    throw new Error(`hand-written ResNet-50 has ${hand.countParams()} params, the preset ${compiled.countParams()}`);
  }
  const x = tf.randomUniform([1, 224, 224, 3], 0, 1, 'float32', 1);
  const forward = (m: tf.LayersModel) => async () => {
    const y = m.predict(x) as tf.Tensor;
    await y.data();
    y.dispose();
  };
  await time(forward(compiled), 0, 2);
  await time(forward(hand), 0, 2);
  const ratios: number[] = [];
  const compiledMs: number[] = [];
  const handMs: number[] = [];
  for (let i = 0; i < 8; i++) {
    const order = i % 2 === 0 ? [compiled, hand] : [hand, compiled];
    const [t0] = await time(forward(order[0]), 1, 0);
    const [t1] = await time(forward(order[1]), 1, 0);
    const [c, h] = order[0] === compiled ? [t0, t1] : [t1, t0];
    compiledMs.push(c);
    handMs.push(h);
    ratios.push(c / h);
  }
  results.push(summarize('ResNet-50 forward, compiled preset (wasm, batch 1)', compiledMs, 'ms'));
  results.push(summarize('ResNet-50 forward, hand-written tf.layers (wasm, batch 1)', handMs, 'ms'));
  results.push(summarize('ResNet-50 forward: compiled / hand-written', ratios, 'ratio', 1.05, 'same backend, alternating runs'));
  x.dispose();
  compiled.dispose();
  hand.dispose();

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
    const estimate = estimateMemoryBytes(c.analysis);
    const peak = info.peakBytes;
    results.push(summarize(`${id}: peak memory of a forward pass`, [peak / 2 ** 20], 'MB', undefined,
      `guard estimate ${(estimate / 2 ** 20).toFixed(0)} MB (peak / estimate ${(peak / estimate).toFixed(2)}); the guard never under-estimates when this is ≤ 1`));
    input.dispose();
    c.model.dispose();
  }
  return results;
}
