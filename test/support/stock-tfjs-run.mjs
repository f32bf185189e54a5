// Loads a tfjs export with stock TensorFlow.js alone (no Convas code), plus convas-tfjs-layers.js when asked, and
// prints its outputs on the inputs given as JSON. Run by src/drivers/compile/stock-tfjs.test.ts in its own process,
// so nothing Convas registers in tfjs can help it:
//   node stock-tfjs-run.mjs DIR [--script]   (DIR holds model.json, weights.bin, inputs.json: [{ shape, values }])
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';

const [dir, flag] = process.argv.slice(2);
if (flag === '--script') {
  globalThis.tf = tf;
  await import(pathToFileURL(join(dir, 'convas-tfjs-layers.js')).href);
}
await tf.setBackend('cpu');
const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
const bin = readFileSync(join(dir, 'weights.bin'));
const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
try {
  const model = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData,
  }));
  const inputs = JSON.parse(readFileSync(join(dir, 'inputs.json'), 'utf8')).map((x) => tf.tensor(x.values, x.shape));
  const y = model.predict(inputs.length === 1 ? inputs[0] : inputs);
  const outputs = (Array.isArray(y) ? y : [y]).map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
  process.stdout.write(JSON.stringify({ outputs }));
} catch (e) {
  process.stdout.write(JSON.stringify({ error: String(e.message ?? e) }));
}
