/**
 * The benchmark page behind `npm run bench -- browser-forward`: tfjs in Chromium's main thread, set up as the
 * app's run worker sets it up (src/drivers/compile/wasm-setup.ts: the wasm binaries served by this page itself, the
 * threaded SIMD build where the page is isolated, or one thread with `?threads=single`). bench/browser-forward.ts
 * loads it once per backend and calls `window.__bench`; bench/browser-threads.ts opens one page of each threading.
 */

import * as tf from '@tensorflow/tfjs';
import resnetText from '../../presets/resnet50-keras.convas.json?raw';
import densenetText from '../../presets/densenet121.convas.json?raw';
import { parseDesignText, type Design } from '../../src/engine/index.ts';
import { compileDesign } from '../../src/drivers/compile/index.ts';
import { setUpWasm, startWasm, wasmThreadsReport } from '../../src/drivers/compile/wasm-setup.ts';
import { summarize, time, type BenchResult } from '../harness.ts';
import { timeAgainstHandWritten } from '../resnet50-hand.ts';

// `?threads=single` keeps wasm on one thread (bench/browser-threads.ts opens one page of each); by default the page
// takes the threaded build where it is isolated, as the app's run worker does
const threads = new URLSearchParams(location.search).get('threads') === 'single' ? 'single' : 'auto';
setUpWasm(threads);

export type Backend = 'wasm' | 'webgl' | 'webgpu';

const status = (text: string) => {
  const el = document.getElementById('status');
  if (el) el.textContent = text;
};

function design(text: string, name: string): Design {
  const r = parseDesignText(text);
  if (!r.ok) throw new Error(`${name}: ${r.error}`);
  return r.design;
}

function webglRenderer(): string {
  const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) return 'no WebGL context';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

/** Starts `backend`; `ok: false` with the reason where this browser does not offer it. */
async function use(backend: Backend): Promise<{ ok: boolean; detail: string }> {
  if (backend === 'webgpu') {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) return { ok: false, detail: 'not offered: this Chromium has no navigator.gpu' };
    const adapter = await gpu.requestAdapter().catch(() => null);
    if (!adapter) return { ok: false, detail: 'not offered: navigator.gpu gives no adapter' };
    await import('@tensorflow/tfjs-backend-webgpu'); // registers the backend, as the app's worker does
  }
  try {
    if (!(await (backend === 'wasm' ? startWasm(() => tf.setBackend(backend)) : tf.setBackend(backend)))) return { ok: false, detail: `not offered: tfjs could not start ${backend}` };
    await tf.ready();
  } catch (e) {
    return { ok: false, detail: `not offered: ${(e as Error).message}` };
  }
  if (tf.getBackend() !== backend) return { ok: false, detail: `not offered: tfjs fell back to ${tf.getBackend()}` };
  if (backend === 'webgl') return { ok: true, detail: `WebGL ${tf.env().getNumber('WEBGL_VERSION')}, ${webglRenderer()}` };
  if (backend === 'webgpu') return { ok: true, detail: 'WebGPU' };
  const w = await wasmThreadsReport(threads);
  return { ok: true, detail: `${w.simd ? 'SIMD' : 'plain'} build, ${w.threads} thread${w.threads === 1 ? '' : 's'} (${w.cores} logical cores${w.isolated ? '' : ', not isolated'})` };
}

/** ResNet-50: the compiled Keras preset vs the hand-written tf.layers network, alternating, on one backend. */
async function forward(backend: Backend, pairs: number, warmup: number): Promise<BenchResult[]> {
  const started = await use(backend);
  if (!started.ok) throw new Error(started.detail);
  status(`${backend}: compiling ResNet-50`);
  const compiled = compileDesign(design(resnetText, 'resnet50-keras'), { seed: 1 }).model;
  status(`${backend}: timing ${pairs} pairs`);
  const { a, b, ratios } = await timeAgainstHandWritten(compiled, pairs, warmup);
  compiled.dispose();
  status(`${backend}: done`);
  return [
    summarize(`ResNet-50 forward, compiled preset (${backend}, batch 1)`, a, 'ms', undefined, started.detail),
    summarize(`ResNet-50 forward, hand-written tf.layers (${backend}, batch 1)`, b, 'ms'),
    summarize(`ResNet-50 forward: compiled / hand-written (${backend})`, ratios, 'ratio', 1.05, `same page and backend, ${pairs} alternating pairs after ${warmup} warm-up run${warmup === 1 ? '' : 's'} of each`),
  ];
}

/** DenseNet-121: analysis, graph building and seeded weight initialisation, on one backend. */
async function compileDenseNet(backend: Backend, runs: number): Promise<BenchResult> {
  const started = await use(backend);
  if (!started.ok) throw new Error(started.detail);
  const densenet = design(densenetText, 'densenet121');
  const ms = await time(() => compileDesign(densenet, { seed: 1 }).model.dispose(), runs, 1);
  const note = backend === 'wasm' ? 'the Run panel\'s default backend' : 'weights are made on the CPU and reach the GPU at first use';
  return summarize(`DenseNet-121 compile in the browser (incl. weight init, ${backend})`, ms, 'ms', 1000, note);
}

let resnet: tf.LayersModel | null = null;
let resnetInput: tf.Tensor | null = null;

/** One forward pass of ResNet-50 (the Keras preset, batch 1) on the current backend, outputs read back: ms. */
async function resnetPass(): Promise<number> {
  resnet ??= compileDesign(design(resnetText, 'resnet50-keras'), { seed: 1 }).model;
  resnetInput ??= tf.randomUniform([1, 224, 224, 3], 0, 1, 'float32', 1);
  const t0 = performance.now();
  const y = resnet.predict(resnetInput) as tf.Tensor;
  await y.data();
  const ms = performance.now() - t0;
  y.dispose();
  return ms;
}

const bench = { use, forward, compileDenseNet, resnetPass };
declare global {
  interface Window {
    __bench?: typeof bench;
  }
}
window.__bench = bench;
status('ready');
