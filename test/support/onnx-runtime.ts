/**
 * Runs an exported ONNX model in onnxruntime-web (Microsoft's ONNX Runtime compiled to WebAssembly, run here in
 * Node): the independent reference for the ONNX export's numbers. Test-only; the app never loads it.
 */

import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1; // the test machines are small and shared
ort.env.logLevel = 'error';

/** A float32 tensor channels-last with the batch (`[1, H, W, C]` or `[1, N]`), as tfjs holds it. */
export interface Nhwc {
  shape: number[];
  data: Float32Array;
}

function toNchw(t: Nhwc): ort.Tensor {
  if (t.shape.length !== 4) return new ort.Tensor('float32', t.data, t.shape);
  const [b, h, w, c] = t.shape;
  const out = new Float32Array(t.data.length);
  for (let n = 0; n < b; n++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) out[((n * c + ch) * h + y) * w + x] = t.data[((n * h + y) * w + x) * c + ch];
      }
    }
  }
  return new ort.Tensor('float32', out, [b, c, h, w]);
}

function fromNchw(t: ort.Tensor): Nhwc {
  const data = t.data as Float32Array;
  const dims = t.dims.map(Number);
  if (dims.length !== 4) return { shape: dims, data: Float32Array.from(data) };
  const [b, c, h, w] = dims;
  const out = new Float32Array(data.length);
  for (let n = 0; n < b; n++) {
    for (let ch = 0; ch < c; ch++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) out[((n * h + y) * w + x) * c + ch] = data[((n * c + ch) * h + y) * w + x];
      }
    }
  }
  return { shape: [b, h, w, c], data: out };
}

/**
 * Runs `model` on `inputs` (in the graph's input order, channels-last) and returns its outputs channels-last,
 * in the graph's output order.
 * @example const [y] = await runOnnx(toOnnx(design), [{ shape: [1, 8, 8, 3], data }])
 */
export async function runOnnx(model: Uint8Array, inputs: Nhwc[]): Promise<Nhwc[]> {
  const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'disabled' });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    session.inputNames.forEach((name, i) => (feeds[name] = toNchw(inputs[i])));
    const result = await session.run(feeds);
    return session.outputNames.map((name) => fromNchw(result[name]));
  } finally {
    await session.release();
  }
}

/** The largest |a − b| over paired outputs, and the largest |b| (to scale a tolerance). */
export function maxDifference(a: Nhwc[], b: Nhwc[]): { maxDiff: number; maxAbs: number } {
  let maxDiff = 0;
  let maxAbs = 0;
  a.forEach((t, k) => {
    if (t.shape.join() !== b[k].shape.join()) throw new Error(`output ${k}: shape [${t.shape}] vs [${b[k].shape}]`);
    for (let i = 0; i < t.data.length; i++) {
      const d = Math.abs(t.data[i] - b[k].data[i]);
      // NaN anywhere is a difference, not a pass
      maxDiff = Number.isNaN(d) ? Infinity : Math.max(maxDiff, d);
      maxAbs = Math.max(maxAbs, Math.abs(b[k].data[i]));
    }
  });
  return { maxDiff, maxAbs };
}
