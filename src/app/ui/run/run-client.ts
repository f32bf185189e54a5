/**
 * The editor's side of the run worker: starts it lazily (tfjs loads only when someone runs a design),
 * turns replies into promises, and cancels by terminating the worker.
 */

import type { BrowserBackend, RunImage, RunWeights, WorkerRequest, WorkerResponse } from '../../../drivers/compile/protocol.ts';
import type { Design } from '../../../engine/index.ts';
import { DEFAULT_IMAGE_FIT, describeFit, sourceRect, type ImageFit } from '../../../drivers/compile/image-fit.ts';
import { imageSize, imageTooLarge } from '../../../drivers/compile/image-size.ts';

export type RunResult = Extract<WorkerResponse, { type: 'result' }>;
export type FeatureMaps = Extract<WorkerResponse, { type: 'featureMaps' }>;
export type SaveResult = Extract<WorkerResponse, { type: 'saved' }>;
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
  /** the last request asked after the one before it settles (feature maps, effective fields), never instead of it */
  private tail: Promise<unknown> = Promise.resolve();
  /** counts cancels: a queued request from before a cancel (or a new run) is dropped, not sent to the fresh worker */
  private generation = 0;
  private pending: { resolve: (r: WorkerResponse) => void; reject: (e: Error) => void; onProgress?: (s: Stage) => void } | null = null;

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('../../../drivers/compile/worker.ts', import.meta.url), { type: 'module', name: 'convas-run' });
    w.onmessage = (e: MessageEvent<WorkerResponse>) => {
      const msg = e.data;
      if (msg.type === 'progress') return this.pending?.onProgress?.(msg.stage);
      const p = this.pending;
      this.pending = null;
      if (!p) return;
      if (msg.type === 'error') p.reject(new Error(msg.message));
      else p.resolve(msg);
    };
    w.onerror = (e) => {
      const p = this.pending;
      this.pending = null;
      p?.reject(new Error(`the run worker failed: ${e.message || 'it could not start'}`));
      this.worker?.terminate();
      this.worker = null;
    };
    this.worker = w;
    return w;
  }

  private request(req: WorkerRequest, onProgress?: (s: Stage) => void): Promise<WorkerResponse> {
    if (this.pending) this.cancel();
    const w = this.ensure();
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, onProgress };
      w.postMessage(req);
    });
  }

  /**
   * Compiles and runs the design once. With `weights`, the compiled model takes them (by weight name) instead
   * of the seeded ones; a file that does not fit the design rejects with a message naming the layer and shapes.
   * The weights are copied to the worker, not transferred: the caller keeps them for the next run.
   */
  async run(design: Design, image: RunImage, backend: BrowserBackend, seed: number, onProgress: (s: Stage) => void, weights?: RunWeights): Promise<RunResult> {
    this.generation++; // what was queued for the last run's model is not asked of this one
    const p = this.request({ type: 'run', design, image, backend, seed, ...(weights ? { weights } : {}) }, onProgress);
    this.tail = p; // maps and fields asked meanwhile wait for this run
    return (await p) as RunResult;
  }

  /**
   * Compiles the design with seeded weights (the same ones a run with `seed` uses) and serializes it as tfjs
   * files: `modelJson` is model.json's text (`format: 'layers-model'`, its weightsManifest naming
   * `weightsPath`), `weights` that file's bytes.
   * @example const { modelJson, weights } = await client.save(design, 1, 'model.weights.bin')
   */
  async save(design: Design, seed: number, weightsPath: string): Promise<{ modelJson: string; weights: ArrayBuffer }> {
    const r = (await this.request({ type: 'save', design, seed, weightsPath })) as SaveResult;
    return { modelJson: r.modelJson, weights: r.weights };
  }

  /** Asks `req` once the requests before it have settled: the worker answers one at a time. */
  private queued(req: WorkerRequest): Promise<WorkerResponse> {
    const generation = this.generation;
    const next = this.tail.catch(() => undefined).then(() => {
      if (generation !== this.generation) throw new RunCancelled();
      return this.request(req);
    });
    this.tail = next;
    return next;
  }

  async featureMaps(nodeId: string, maxChannels = 32): Promise<FeatureMaps> {
    return (await this.queued({ type: 'featureMaps', nodeId, maxChannels })) as FeatureMaps;
  }

  /**
   * The effective receptive field of `unit` of node `nodeId` (absent: its centre unit) on the last run's weights
   * and image: the gradient map `convas erf` prints (drivers/compile/erf.ts), radius90 and the theoretical field.
   * Rejects with tfjs's reason, or for a node without a spatial output.
   */
  async effectiveField(nodeId: string, unit?: [number, number]): Promise<ErfResult['field']> {
    return ((await this.queued({ type: 'erf', nodeId, ...(unit ? { unit } : {}) })) as ErfResult).field;
  }

  /** Stops whatever runs now; the next request starts a fresh worker. */
  cancel(): void {
    this.generation++;
    this.worker?.terminate();
    this.worker = null;
    const p = this.pending;
    this.pending = null;
    p?.reject(new RunCancelled());
  }

  dispose(): void {
    this.cancel();
  }
}

/**
 * Decodes an image (URL or file) and resizes it to H×W on a canvas, from the source rectangle of `fit`
 * (`sourceRect`: centre-crop by default, the rule `convas run --image` uses); `fitText` says what was done.
 * A file that is not an image is refused with a message naming it.
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
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const r = sourceRect(img.naturalWidth, img.naturalHeight, height, width, fit);
  ctx.drawImage(img, r.x, r.y, r.width, r.height, 0, 0, width, height);
  const data = ctx.getImageData(0, 0, width, height).data;
  return { pixels: { width, height, rgba: data }, preview: canvas.toDataURL(), fitText: describeFit(img.naturalWidth, img.naturalHeight, height, width, fit) };
}
