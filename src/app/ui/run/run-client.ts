/**
 * The editor's side of the run worker: starts it lazily (tfjs loads only when someone runs a design),
 * turns replies into promises, and cancels by terminating the worker.
 */

import type { BrowserBackend, RunImage, RunWeights, WasmThreads, WorkerRequest, WorkerResponse } from '../../../drivers/compile/protocol.ts';
import type { Design } from '../../../engine/index.ts';
import type { NodeWeights } from '../../../engine/initial-weights.ts';
import { DEFAULT_IMAGE_FIT, describeFit, resizeRgba, sourceRect, type ImageFit } from '../../../drivers/compile/image-fit.ts';
import { imageSize, imageTooLarge } from '../../../drivers/compile/image-size.ts';

export type RunResult = Extract<WorkerResponse, { type: 'result' }>;
export type FeatureMaps = Extract<WorkerResponse, { type: 'featureMaps' }>;
export type SaveResult = Extract<WorkerResponse, { type: 'saved' }>;
export type ProfileResult = Extract<WorkerResponse, { type: 'profiled' }>;
export type ErfResult = Extract<WorkerResponse, { type: 'erf' }>;
export type Stage = Extract<WorkerResponse, { type: 'progress' }>['stage'];

/** The seed of the random weights unless the person picks another: one default for the Run tab, the exports and the CLI. */
export { DEFAULT_SEED } from '../../../engine/initial-weights.ts';

export class RunCancelled extends Error {
  constructor() {
    super('run cancelled');
  }
}

export class RunClient {
  private worker: Worker | null = null;
  private pending: {
    resolve: (r: WorkerResponse) => void; reject: (e: Error) => void; onProgress?: (s: Stage) => void; onPass?: (done: number, total: number) => void;
  } | null = null;
  /** the wasm threads the live worker was set up with (tfjs fixes them at its start) */
  private threads: WasmThreads | null = null;
  /**
   * Requests on the last run's model waiting for the worker to answer the one before it, one per request type
   * (feature maps, effective field): a newer one of a type replaces the waiting one, which is stale.
   */
  private queued = new Map<WorkerRequest['type'], { req: WorkerRequest; resolve: (r: WorkerResponse) => void; reject: (e: Error) => void }>();

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('../../../drivers/compile/worker.ts', import.meta.url), { type: 'module', name: 'convas-run' });
    w.onmessage = (e: MessageEvent<WorkerResponse>) => {
      const msg = e.data;
      if (msg.type === 'progress') return this.pending?.onProgress?.(msg.stage);
      if (msg.type === 'profileProgress') return this.pending?.onPass?.(msg.done, msg.total);
      const p = this.pending;
      this.pending = null;
      if (!p) return;
      if (msg.type === 'error') p.reject(new Error(msg.message));
      else p.resolve(msg);
      const next = this.queued.values().next();
      if (!next.done) {
        this.queued.delete(next.value.req.type);
        this.send(next.value.req, next.value.resolve, next.value.reject);
      }
    };
    w.onerror = (e) => {
      const p = this.pending;
      this.pending = null;
      p?.reject(new Error(`the run worker failed: ${e.message || 'it could not start'}`));
      this.dropQueued();
      this.worker?.terminate();
      this.worker = null;
    };
    this.worker = w;
    return w;
  }

  private send(req: WorkerRequest, resolve: (r: WorkerResponse) => void, reject: (e: Error) => void, onProgress?: (s: Stage) => void, onPass?: (done: number, total: number) => void) {
    const wants = 'threads' in req ? req.threads ?? 'auto' : null;
    // another threads setting needs a fresh worker: tfjs sets wasm up once per worker (a save or feature maps take any)
    if (wants !== null && this.worker && this.threads !== wants) this.cancel();
    if (!this.worker) this.threads = wants ?? 'auto';
    this.pending = { resolve, reject, onProgress, onPass };
    this.ensure().postMessage(req);
  }

  private request(req: WorkerRequest, onProgress?: (s: Stage) => void, onPass?: (done: number, total: number) => void): Promise<WorkerResponse> {
    if (this.pending) this.cancel();
    return new Promise((resolve, reject) => this.send(req, resolve, reject, onProgress, onPass));
  }

  /**
   * Compiles and runs the design once. With `weights`, the compiled model takes them (by weight name) instead
   * of the seeded ones; a file that does not fit the design rejects with a message naming the layer and shapes.
   * With `nodeWeights` (an imported model's, by node id), those nodes take them instead of the seeded ones.
   * The weights are copied to the worker, not transferred: the caller keeps them for the next run.
   */
  async run(
    design: Design, image: RunImage, backend: BrowserBackend, seed: number, onProgress: (s: Stage) => void,
    weights?: RunWeights, threads: WasmThreads = 'auto', nodeWeights?: ReadonlyMap<string, NodeWeights>,
  ): Promise<RunResult> {
    return (await this.request({ type: 'run', design, image, backend, seed, threads, ...(weights ? { weights } : {}), ...(nodeWeights?.size ? { nodeWeights } : {}) }, onProgress)) as RunResult;
  }

  /**
   * Times every layer of the design in the worker (drivers/compile/profile.ts, as `convas profile`): `runs` timed
   * passes after two warm-up ones, on the seed's weights (or `weights`) and a seeded random input. `onPass`
   * hears each finished pass, warm-up included.
   */
  async profile(design: Design, backend: BrowserBackend, seed: number, runs: number, onProgress: (s: Stage) => void, onPass: (done: number, total: number) => void, weights?: RunWeights, threads: WasmThreads = 'auto'): Promise<ProfileResult> {
    return (await this.request({ type: 'profile', design, backend, seed, runs, threads, ...(weights ? { weights } : {}) }, onProgress, onPass)) as ProfileResult;
  }

  /**
   * Compiles the design with seeded weights (the same ones a run with `seed` uses; `nodeWeights`' for the nodes it
   * holds) and serializes it as tfjs files: `modelJson` is model.json's text (`format: 'layers-model'`, its
   * weightsManifest naming `weightsPath`), `weights` that file's bytes.
   * @example const { modelJson, weights } = await client.save(design, 1, 'model.weights.bin')
   */
  async save(design: Design, seed: number, weightsPath: string, nodeWeights?: ReadonlyMap<string, NodeWeights>): Promise<{ modelJson: string; weights: ArrayBuffer }> {
    const r = (await this.request({ type: 'save', design, seed, weightsPath, ...(nodeWeights?.size ? { nodeWeights } : {}) })) as SaveResult;
    return { modelJson: r.modelJson, weights: r.weights };
  }

  /**
   * Puts a tfjs model's weights (`weights`, matched by weight name) into the compiled design and reads every node's
   * back in Convas's layouts, by node id: a model.json opened with its .bin files becomes trained weights.
   * Rejects with a message naming the layer and both shapes where a weight does not fit.
   */
  async nodeWeights(design: Design, weights: RunWeights): Promise<Map<string, NodeWeights>> {
    const r = (await this.request({ type: 'nodeWeights', design, weights })) as Extract<WorkerResponse, { type: 'nodeWeights' }>;
    return r.byNode;
  }

  /**
   * One layer's outputs from the last run's model, which lives in the worker. A request never cancels the one
   * before it (terminating the worker would lose the model): it waits for that answer, and a newer request
   * replaces a waiting one, which rejects with `RunCancelled` (clicking five layers quickly asks for two maps).
   */
  featureMaps(nodeId: string, maxChannels = 32): Promise<FeatureMaps> {
    return this.afterPending({ type: 'featureMaps', nodeId, maxChannels }) as Promise<FeatureMaps>;
  }

  /**
   * The effective receptive field of `unit` of node `nodeId` (absent: its centre unit) on the last run's weights
   * and image: the gradient map `convas erf` prints (drivers/compile/erf.ts), radius90 and the theoretical field.
   * Waits as `featureMaps` does. Rejects with tfjs's reason, or for a node without a spatial output.
   */
  async effectiveField(nodeId: string, unit?: [number, number]): Promise<ErfResult['field']> {
    return ((await this.afterPending({ type: 'erf', nodeId, ...(unit ? { unit } : {}) })) as ErfResult).field;
  }

  /** Sends `req` now, or after the answer the worker owes, replacing a waiting request of its type. */
  private afterPending(req: WorkerRequest): Promise<WorkerResponse> {
    return new Promise<WorkerResponse>((resolve, reject) => {
      if (!this.pending) return this.send(req, resolve, reject);
      this.queued.get(req.type)?.reject(new RunCancelled());
      this.queued.set(req.type, { req, resolve, reject });
    });
  }

  private dropQueued(): void {
    const waiting = [...this.queued.values()];
    this.queued.clear();
    for (const q of waiting) q.reject(new RunCancelled());
  }

  /** Stops whatever runs now; the next request starts a fresh worker. */
  cancel(): void {
    this.worker?.terminate();
    this.worker = null;
    this.threads = null;
    const p = this.pending;
    this.pending = null;
    p?.reject(new RunCancelled());
    this.dropQueued();
  }

  dispose(): void {
    this.cancel();
  }
}

/**
 * Decodes an image (URL or file) and resizes it to H×W from the source rectangle of `fit` (`sourceRect`:
 * centre-crop by default) by `resizeRgba`, the function `convas run --image` calls, so both feed the model the
 * same values; `fitText` says what was done. The canvas only decodes the image, drawn at its own size (a canvas
 * resize samples by its own rule). A file that is not an image is refused with a message naming it.
 */
export async function loadImage(source: string | File, height: number, width: number, fit: ImageFit = DEFAULT_IMAGE_FIT): Promise<{ pixels: RunImage; preview: string; fitText: string }> {
  const url = typeof source === 'string' ? source : URL.createObjectURL(source);
  const name = typeof source === 'string' ? source.split('/').pop() : source.name;
  if (typeof source !== 'string' && source.type && !source.type.startsWith('image/')) {
    throw new Error(`"${name}" is not an image (${source.type}); use a PNG or JPEG`);
  }
  if (typeof source !== 'string') {
    // The header's size first: a 16,000×16,000 PNG is under 1 MB on disk and a gigabyte decoded.
    const size = imageSize(new Uint8Array(await source.slice(0, 1 << 16).arrayBuffer()));
    const tooLarge = size && imageTooLarge(size);
    if (tooLarge) throw new Error(`"${name}": ${tooLarge}`);
  }
  const img = new Image();
  img.src = url;
  try {
    await img.decode();
  } catch {
    throw new Error(`"${name}" could not be read as an image; use a PNG or JPEG`);
  }
  const iw = img.naturalWidth;
  const ih = img.naturalHeight;
  const decoded = document.createElement('canvas');
  decoded.width = iw;
  decoded.height = ih;
  const sctx = decoded.getContext('2d', { willReadFrequently: true })!;
  sctx.drawImage(img, 0, 0);
  const rgba = resizeRgba(sctx.getImageData(0, 0, iw, ih).data, iw, ih, height, width, sourceRect(iw, ih, height, width, fit));
  // the preview shows the resized image as the model sees it, rounded to bytes for display only
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const shown = new ImageData(width, height);
  for (let i = 0; i < rgba.length; i++) shown.data[i] = Math.round(rgba[i] * 255);
  canvas.getContext('2d')!.putImageData(shown, 0, 0);
  return { pixels: { width, height, rgba }, preview: canvas.toDataURL(), fitText: describeFit(iw, ih, height, width, fit) };
}
