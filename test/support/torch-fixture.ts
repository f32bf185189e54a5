/**
 * What the kinds' every-backend tests (src/drivers/import/*-kind.test.ts) share: the outputs of chosen nodes of a
 * compiled model on a seeded input, and a folder a torch script of the test's own reads (the PyTorch export, its
 * packed weights, and tensors as raw float32 files).
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Analysis, Design } from '../../src/engine/index.ts';
import type { WeightTensor } from '../../src/contract/layer-kind.ts';
import { tf, type Compiled } from '../../src/drivers/compile/index.ts';
import { toPyTorch } from '../../src/drivers/export/pytorch.ts';
import { packTorchWeights } from '../../src/drivers/export/torch-layout.ts';
import type { Nhwc } from './onnx-runtime.ts';

/**
 * The outputs of the nodes `ids` of `compiled` on one input drawn uniform in [−1, 1) with `seed`, of shape
 * `[1, ...inputShape]`: the input and each output, channels-last as tfjs holds them (the tensors are disposed).
 */
export function probeOutputs(compiled: Compiled, ids: string[], inputShape: number[], seed: number): { input: Nhwc; outputs: Nhwc[] } {
  const probe = tf.model({ inputs: compiled.model.inputs, outputs: ids.map((id) => compiled.outputsByNode.get(id)!) });
  const x = tf.randomUniform([1, ...inputShape], -1, 1, 'float32', seed);
  const ys = probe.predict(x) as tf.Tensor | tf.Tensor[];
  const list = Array.isArray(ys) ? ys : [ys];
  const read = (t: tf.Tensor): Nhwc => ({ shape: t.shape.slice(), data: Float32Array.from(t.dataSync() as Float32Array) });
  const result = { input: read(x), outputs: list.map(read) };
  tf.dispose([x, ...list]);
  return result;
}

/**
 * A fresh folder (`convas-<name>-…` in the temp dir) holding `<module>.py` (the design's PyTorch export), its weights
 * packed as `load_convas_weights` reads them (`w.bin`, `w.json`, the state dict `state` of seed `seed`) and each of
 * `tensors` as `<name>.f32` (raw float32, in the order it holds them). Returns the folder's path.
 */
export function torchFolder(
  name: string, module: string, design: Design, analysis: Analysis, state: Map<string, WeightTensor>, seed: number,
  tensors: [string, { data: Float32Array }][],
): string {
  const dir = mkdtempSync(join(tmpdir(), `convas-${name}-`));
  writeFileSync(join(dir, `${module}.py`), toPyTorch(design, analysis));
  const w = packTorchWeights(state, 'w.bin', seed);
  writeFileSync(join(dir, 'w.bin'), w.data);
  writeFileSync(join(dir, 'w.json'), JSON.stringify(w.manifest));
  for (const [file, t] of tensors) writeFileSync(join(dir, `${file}.f32`), new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return dir;
}
