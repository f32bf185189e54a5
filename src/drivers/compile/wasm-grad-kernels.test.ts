/**
 * The gradient kernels Convas gives tfjs's wasm backend (wasm-grad-kernels.ts), against tfjs-backend-cpu's own
 * kernels of the same names: the same gradients through `tf.grad` for strides, paddings (valid, same, explicit),
 * channel multipliers, uneven sizes and all-negative pool windows, so the effective field is the same map on
 * either backend.
 */

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setupNodeBackend } from './node-backend.ts';
import { installWasmGradKernels } from './wasm-grad-kernels.ts';

type Pad = 'valid' | 'same' | [[0, 0], [number, number], [number, number], [0, 0]];

/** A seeded stream in [-1, 1) (mulberry32), so both backends get the same numbers. */
function values(n: number, seed: number): Float32Array {
  let a = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  });
}

/**
 * On `backend`: the gradient of Σ y·w (w seeded) with respect to x and, with `filterToo`, the filter, as plain
 * arrays. (The depthwise filter's gradient is still missing on wasm; the effective field never asks for it.)
 */
async function grads(backend: 'wasm' | 'cpu', fn: (x: tf.Tensor4D, f: tf.Tensor4D) => tf.Tensor4D, xShape: number[], fShape: number[], filterToo: boolean) {
  await setupNodeBackend(backend);
  // after the backend's import, which registers wasm's own MaxPoolGrad (as effectiveField does at each call)
  installWasmGradKernels();
  return tf.tidy(() => {
    const tensor = (shape: number[], seed: number) => tf.tensor4d(values(shape.reduce((a, b) => a * b), seed), shape as [number, number, number, number]);
    const x = tensor(xShape, 1);
    const f = tensor(fShape, 2);
    const y = fn(x, f);
    const w = tf.tensor(values(y.size, 3), y.shape);
    const loss = (a: tf.Tensor, b: tf.Tensor) => fn(a as tf.Tensor4D, b as tf.Tensor4D).mul(w).sum();
    if (!filterToo) return { dx: Array.from(tf.grad((a: tf.Tensor) => loss(a, f))(x).dataSync()), df: [] };
    const [dx, df] = tf.grads(loss)([x, f]);
    return { dx: Array.from(dx.dataSync()), df: Array.from(df.dataSync()) };
  });
}

function expectClose(a: number[], b: number[]) {
  expect(a.length).toBe(b.length);
  const scale = Math.max(1, ...b.map(Math.abs));
  const worst = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  expect(worst / scale).toBeLessThan(1e-5);
}

describe('the wasm backend\'s gradient kernels equal the cpu backend\'s', () => {
  const depthwise: [string, number[], number[], [number, number], Pad][] = [
    ['3×3 same, stride 1', [1, 9, 8, 3], [3, 3, 3, 1], [1, 1], 'same'],
    ['3×3 same, stride 2 on an odd size (TensorFlow\'s uneven split)', [1, 9, 7, 4], [3, 3, 4, 1], [2, 2], 'same'],
    ['5×5 valid, stride 2, a row no window reaches', [1, 12, 12, 2], [5, 5, 2, 1], [2, 2], 'valid'],
    ['channel multiplier 2, 3×2 kernel, strides 2 and 1', [2, 10, 9, 3], [3, 2, 3, 2], [2, 1], 'same'],
  ];
  for (const [name, xs, fs, strides, pad] of depthwise) {
    it(`depthwise ${name}`, async () => {
      const fn = (x: tf.Tensor4D, f: tf.Tensor4D) => tf.depthwiseConv2d(x, f, strides, pad as 'same');
      const cpu = await grads('cpu', fn, xs, fs, false);
      const wasm = await grads('wasm', fn, xs, fs, false);
      expectClose(wasm.dx, cpu.dx);
    });
  }

  const convs: [string, number[], number[], [number, number], Pad][] = [
    ['1×1, stride 1', [1, 6, 5, 4], [1, 1, 4, 3], [1, 1], 'valid'],
    ['3×3 same, stride 2 on an odd size', [1, 9, 7, 3], [3, 3, 3, 5], [2, 2], 'same'],
    ['7×7 explicit padding 3, stride 2, batch 2', [2, 11, 13, 2], [7, 7, 2, 4], [2, 2], [[0, 0], [3, 3], [3, 3], [0, 0]]],
    ['5×3 valid, strides 2 and 1', [1, 12, 9, 3], [5, 3, 3, 2], [2, 1], 'valid'],
  ];
  for (const [name, xs, fs, strides, pad] of convs) {
    it(`conv ${name}: input and filter gradients`, async () => {
      const fn = (x: tf.Tensor4D, f: tf.Tensor4D) => tf.conv2d(x, f, strides, pad as 'same');
      const cpu = await grads('cpu', fn, xs, fs, true);
      const wasm = await grads('wasm', fn, xs, fs, true);
      expectClose(wasm.dx, cpu.dx);
      expectClose(wasm.df, cpu.df);
    });
  }

  const pools: [string, number[], number, number, 'valid' | 'same', number][] = [
    ['2×2 stride 2 on 12×12×4, mixed signs', [1, 12, 12, 4], 2, 2, 'valid', 0],
    ['2×2 stride 2 on 12×12×4, all negative', [1, 12, 12, 4], 2, 2, 'valid', -2],
    ['3×3 stride 2 same on 9×7×3 (overlapping windows, cells outside)', [1, 9, 7, 3], 3, 2, 'same', 0],
    ['3×3 stride 1 same, batch 2', [2, 6, 5, 2], 3, 1, 'same', -1],
  ];
  for (const [name, xs, size, stride, pad, shift] of pools) {
    it(`max pool ${name}`, async () => {
      const fn = (x: tf.Tensor4D) => tf.maxPool(x.add(shift) as tf.Tensor4D, size, stride, pad);
      const cpu = await grads('cpu', fn, xs, [1, 1, 1, 1], false);
      const wasm = await grads('wasm', fn, xs, [1, 1, 1, 1], false);
      expect(wasm.dx.filter((v) => v !== 0).length).toBe(cpu.dx.filter((v) => v !== 0).length);
      expectClose(wasm.dx, cpu.dx);
    });
  }
});
