/**
 * The run worker: compiles a design with tfjs and runs one forward pass off the main thread, so the canvas
 * stays responsive. Keeps the compiled model and the input so that feature maps of any node can be asked for
 * afterwards. Cancelling is terminating the worker (the editor starts a fresh one).
 */

/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { CompileError, DEFAULT_MAC_BUDGET, compileDesign, compiledNodeWeights, featureMapModel, type Compiled } from './index.ts';
import type { NodeWeights } from '../../engine/initial-weights.ts';
import { rgbaToChannels } from './image-fit.ts';
import { loadWeightsInto } from './load-weights.ts';
import { effectiveField } from './erf.ts';
import { profileCompiled, profileInputs } from './profile.ts';
import type { BrowserBackend, FeatureChannel, OutputSummary, RunImage, WasmThreads, WasmThreadsReport, WorkerRequest, WorkerResponse } from './protocol.ts';
import { serializeLayersModel } from './serialize.ts';
import { topK, valueStats } from './output-stats.ts';
import { setUpWasm, startWasm, wasmThreadsReport } from './wasm-setup.ts';
import { argmaxPerPixel, isClassScores } from './class-map.ts';

declare const self: DedicatedWorkerGlobalScope;

/**
 * The wasm threads this worker was set up with, at its first request: tfjs reads them once, when wasm starts, so
 * the editor starts a fresh worker to change them (run-client.ts).
 */
let wasmThreads: WasmThreads | null = null;

let compiled: Compiled | null = null;
let input: tf.Tensor | null = null;
/** the backend a run asked for; a save in a fresh worker uses the cpu one (weights are made in JS anyway) */
let lastBackend: BrowserBackend | null = null;
const mapsCache = new Map<string, WorkerResponse>();
/** effective fields of the last run, by node id and unit */
const erfCache = new Map<string, WorkerResponse>();

const post = (m: WorkerResponse, transfer: Transferable[] = []) => self.postMessage(m, transfer);

async function useBackend(name: BrowserBackend, threads: WasmThreads = 'auto'): Promise<string> {
  if (wasmThreads === null) setUpWasm((wasmThreads = threads));
  lastBackend = name;
  if (tf.getBackend() === name) return name;
  try {
    // the WebGPU backend is its own package, fetched only when someone picks it
    if (name === 'webgpu' && !tf.findBackend('webgpu')) await import('@tensorflow/tfjs-backend-webgpu');
    const started = name === 'wasm' ? await startWasm(() => tf.setBackend(name)) : await tf.setBackend(name);
    if (started) {
      await tf.ready();
      return tf.getBackend();
    }
  } catch { /* fall through to cpu */ }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}

/** The resized RGBA → a [1, H, W, C] float tensor in 0..1, by the rule `convas run --image` uses (`rgbaToChannels`). */
function imageTensor(image: RunImage, channels: number): tf.Tensor {
  return tf.tensor4d(rgbaToChannels(image.rgba, channels), [1, image.height, image.width, channels]);
}

function summarize(t: tf.Tensor): OutputSummary {
  const shape = t.shape.slice(1);
  const values = t.dataSync();
  const stats = valueStats(values);
  if (isClassScores(shape)) return { shape, ...stats, classMap: argmaxPerPixel(values, shape[0] * shape[1], shape[2]) };
  if (shape.length !== 1) return { shape, ...stats };
  return { shape, ...stats, top5: topK(values, 5).map(([index, value]) => ({ index, value })), head: Array.from(values.slice(0, 16)) };
}

async function run(req: Extract<WorkerRequest, { type: 'run' }>) {
  post({ type: 'progress', stage: 'backend', detail: req.backend });
  const backend = await useBackend(req.backend, req.threads);
  compiled?.model.dispose();
  input?.dispose();
  mapsCache.clear();
  erfCache.clear();
  compiled = null;
  post({ type: 'progress', stage: 'compile' });
  const t0 = performance.now();
  // A run (not a save) is refused above the compute budget, with its expected time on this backend.
  const fresh = compileDesign(req.design, { seed: req.seed, macBudget: DEFAULT_MAC_BUDGET, backend, weights: req.nodeWeights });
  try {
    if (req.weights) loadWeightsInto(fresh.model, req.weights);
  } catch (e) {
    fresh.model.dispose();
    throw e;
  }
  compiled = fresh;
  const compileMs = performance.now() - t0;
  const inputs = compiled.model.inputs;
  if (inputs.length !== 1) throw new CompileError('the Run panel feeds one image: this design has several inputs', 'unsupported');
  const inShape = inputs[0].shape.slice(1) as number[];
  if (inShape.length !== 3) throw new CompileError('the Run panel feeds an image: the input is not [H, W, C]', 'unsupported');
  input = imageTensor(req.image, inShape[2]);
  post({ type: 'progress', stage: 'forward' });
  const t1 = performance.now();
  const result = compiled.model.predict(input);
  const tensors = Array.isArray(result) ? result : [result];
  // Reading the values waits for the backend to finish: that is the honest forward time.
  await Promise.all(tensors.map((t) => t.data()));
  const forwardMs = performance.now() - t1;
  const outputIds = compiled.model.outputs.map((o) => [...compiled!.outputsByNode].find(([, s]) => s === o)![0]);
  // Keyed by node id: a null-prototype object, so an output called `__proto__` is an entry, not a prototype.
  const outputs: Record<string, OutputSummary> = Object.create(null);
  tensors.forEach((t, i) => (outputs[outputIds[i]] = summarize(t)));
  tf.dispose(tensors);
  post({ type: 'result', backend, params: compiled.model.countParams(), weights: req.weights || req.nodeWeights?.size ? 'loaded' : 'seeded', outputs, compileMs, forwardMs, wasm: await wasmReport(backend) });
}

async function wasmReport(backend: string): Promise<WasmThreadsReport | undefined> {
  return backend === 'wasm' ? wasmThreadsReport(wasmThreads ?? 'auto') : undefined;
}

/** The device a backend runs on, in words: the GPU's renderer for webgl, the adapter for webgpu, else the cores. */
async function deviceName(backend: string): Promise<string> {
  const cores = `${navigator.hardwareConcurrency ?? 1} logical cores`;
  if (backend === 'webgl') {
    try {
      const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      if (gl) return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    } catch { /* fall through */ }
    return 'a WebGL device';
  }
  if (backend === 'webgpu') {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string } } | null> } }).gpu;
    const info = (await gpu?.requestAdapter().catch(() => null))?.info;
    const words = [info?.vendor, info?.architecture, info?.description].filter((w) => w).join(' ');
    return words || 'a WebGPU adapter';
  }
  return `the processor (${cores})`;
}

/**
 * Times every layer (profile.ts, the function `convas profile` calls) on a fresh compile with the request's
 * weights and the seeded random input; leaves the run's model as it is.
 */
async function profile(req: Extract<WorkerRequest, { type: 'profile' }>) {
  post({ type: 'progress', stage: 'backend', detail: req.backend });
  const backend = await useBackend(req.backend, req.threads);
  post({ type: 'progress', stage: 'compile' });
  const c = compileDesign(req.design, { seed: req.seed, macBudget: DEFAULT_MAC_BUDGET, backend });
  const inputs = profileInputs(c, req.seed);
  try {
    if (req.weights) loadWeightsInto(c.model, req.weights);
    const p = await profileCompiled(c, inputs, {
      runs: req.runs,
      // a message between passes: the progress bar moves, and Cancel (terminating the worker) is never blocked long
      onPass: (done, total) => post({ type: 'profileProgress', done, total }),
    });
    post({
      type: 'profiled', backend: p.backend, device: await deviceName(p.backend), wasm: await wasmReport(p.backend),
      weights: req.weights ? 'loaded' : 'seeded', runs: p.runs, warmup: p.warmup, forwardMs: p.forwardMs, predictMs: p.predictMs,
      coverage: p.coverage, nodes: p.nodes,
    });
  } finally {
    tf.dispose(inputs);
    c.model.dispose();
  }
}

/** Compiles the design with seeded weights (an import's where given) and serializes it; the run's model, if any, stays as it is. */
async function save(req: Extract<WorkerRequest, { type: 'save' }>) {
  await useBackend(lastBackend ?? 'cpu');
  const c = compileDesign(req.design, { seed: req.seed, weights: req.nodeWeights });
  try {
    const { modelJson, weights } = await serializeLayersModel(c.model, req.weightsPath);
    post({ type: 'saved', modelJson, weights }, [weights]);
  } finally {
    c.model.dispose();
  }
}

/**
 * A tfjs model's weights (a model.json and its .bin files, matched by weight name) → each node's weights in Convas's
 * layouts, read back by the kinds' tfjs rules (`compiledNodeWeights`): what the editor holds as trained weights
 * after opening a model.json together with its weights. A file that does not fit is refused naming layer and shapes.
 */
async function nodeWeights(req: Extract<WorkerRequest, { type: 'nodeWeights' }>) {
  await useBackend(lastBackend ?? 'cpu');
  const c = compileDesign(req.design);
  try {
    loadWeightsInto(c.model, req.weights);
    const byNode = new Map<string, NodeWeights>();
    const buffers: Transferable[] = [];
    for (const n of req.design.nodes) {
      const w = compiledNodeWeights(c, n.id);
      const tensors = Object.values(w).filter((t) => t !== undefined);
      if (!tensors.length) continue;
      byNode.set(n.id, w);
      for (const t of tensors) buffers.push(t.data.buffer as ArrayBuffer);
    }
    post({ type: 'nodeWeights', byNode }, [...new Set(buffers)]);
  } finally {
    c.model.dispose();
  }
}

function featureMaps(req: Extract<WorkerRequest, { type: 'featureMaps' }>) {
  if (!compiled || !input) throw new Error('run the design first');
  const cached = mapsCache.get(req.nodeId);
  if (cached) return post(cached);
  const sub = featureMapModel(compiled, req.nodeId);
  const out = tf.tidy(() => sub.predict(input!) as tf.Tensor);
  const shape = out.shape.slice(1);
  const values = out.dataSync();
  out.dispose();
  let response: WorkerResponse;
  if (shape.length === 3) {
    const [h, w, c] = shape;
    const channels: FeatureChannel[] = [];
    for (let ch = 0; ch < Math.min(c, req.maxChannels); ch++) {
      let min = Infinity;
      let max = -Infinity;
      for (let p = 0; p < h * w; p++) {
        const v = values[p * c + ch];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const gray = new Uint8ClampedArray(h * w);
      const scale = max > min ? 255 / (max - min) : 0;
      for (let p = 0; p < h * w; p++) gray[p] = (values[p * c + ch] - min) * scale;
      channels.push({ min, max, gray });
    }
    response = { type: 'featureMaps', nodeId: req.nodeId, shape, channels };
  } else {
    response = { type: 'featureMaps', nodeId: req.nodeId, shape, channels: [], values: Array.from(values.slice(0, 64)) };
  }
  mapsCache.set(req.nodeId, response);
  post(response);
}

/** The same function as `convas erf` (erf.ts), on this run's weights (seeded or loaded) and image. */
function erf(req: Extract<WorkerRequest, { type: 'erf' }>) {
  if (!compiled || !input) throw new Error('run the design first');
  const key = JSON.stringify([req.nodeId, req.unit ?? null]);
  const cached = erfCache.get(key);
  if (cached) return post(cached);
  const response: WorkerResponse = { type: 'erf', field: effectiveField(compiled, req.nodeId, input, req.unit) };
  erfCache.set(key, response);
  post(response);
}

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  try {
    if (e.data.type === 'run') await run(e.data);
    else if (e.data.type === 'profile') await profile(e.data);
    else if (e.data.type === 'save') await save(e.data);
    else if (e.data.type === 'erf') erf(e.data);
    else if (e.data.type === 'nodeWeights') await nodeWeights(e.data);
    else featureMaps(e.data);
  } catch (err) {
    const error = err as Error;
    post({ type: 'error', message: error.message ?? String(err), nodeId: err instanceof CompileError ? err.nodeId : undefined });
  }
};
