/**
 * Keras ResNet-50 (v1) written directly with tf.layers: the reference that the compiled
 * `presets/resnet50-keras.convas.json` is timed against, in Node (bench/forward.ts) and in Chromium
 * (bench/browser/forward.ts). No Node imports: the browser bench bundles it.
 */

import * as tf from '@tensorflow/tfjs';
import { sideBySide } from './harness.ts';

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

/**
 * Times one forward pass (batch 1, a seeded random 224×224 image) of `compiled` against the hand-written network
 * on the current backend, in alternating pairs so that machine noise hits both alike. Refuses a compiled model
 * whose parameter count differs (then the two would not be the same network).
 */
export async function timeAgainstHandWritten(compiled: tf.LayersModel, pairs: number, warmup: number) {
  const hand = handWrittenResNet50();
  const x = tf.randomUniform([1, 224, 224, 3], 0, 1, 'float32', 1);
  try {
    if (hand.countParams() !== compiled.countParams()) {
      throw new Error(`hand-written ResNet-50 has ${hand.countParams()} params, the preset ${compiled.countParams()}`);
    }
    const run = (m: tf.LayersModel) => async () => {
      const y = m.predict(x) as tf.Tensor;
      await y.data(); // waits for the backend: the honest forward time
      y.dispose();
    };
    return await sideBySide(run(compiled), run(hand), pairs, warmup);
  } finally {
    x.dispose();
    hand.dispose();
  }
}
