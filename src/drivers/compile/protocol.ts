/**
 * Messages between the editor and the run worker (`worker.ts`). Plain data, no tfjs types, so the UI can
 * import them without pulling tfjs into the main bundle.
 */

import type { Design, Shape } from '../../engine/index.ts';
import type { NodeWeights } from '../../engine/initial-weights.ts';
import type { WeightsManifestEntry } from './model-json.ts';
import type { EffectiveField } from './erf-field.ts';

export type { EffectiveField, WeightsManifestEntry };

export type BrowserBackend = 'wasm' | 'webgl' | 'webgpu' | 'cpu';

/** wasm threads: `auto` takes the threaded build where the page is cross-origin isolated, `single` never does. */
export type WasmThreads = 'auto' | 'single';

/** What the wasm backend ran on (wasm-setup.ts); absent on the other backends. */
export interface WasmThreadsReport {
  asked: WasmThreads;
  /** the page is cross-origin isolated (SharedArrayBuffer allowed): the condition of the threaded build */
  isolated: boolean;
  /** the backend's thread count (1: the single-threaded build) */
  threads: number;
  /** tfjs chose the threaded SIMD build (SharedArrayBuffer and wasm threads available, not turned off) */
  threadedBuild: boolean;
  simd: boolean;
  /** the browser's logical cores (`navigator.hardwareConcurrency`) */
  cores: number;
}

/** One node's measured time in a profile (drivers/compile/profile.ts's NodeProfile, as plain data). */
export interface ProfiledNode {
  id: string;
  ms: number;
  macs: number;
}

/** The image resized to the design's input H×W on the main thread (`resizeRgba`): RGBA floats in 0..1, unrounded. */
export interface RunImage {
  width: number;
  height: number;
  rgba: Float32Array;
}

/** Weights to run with instead of the seeded ones: a tfjs weights manifest and its data, matched by weight name. */
export interface RunWeights {
  specs: WeightsManifestEntry[];
  data: ArrayBuffer;
  /** the model.json's name, for messages */
  fileName?: string;
}

/**
 * `nodeWeights`: node id → weights in Convas's layouts (an imported model's), compiled in place of the seed's for the
 * nodes it holds (`compileDesign`'s `weights`).
 */
export type WorkerRequest =
  | { type: 'run'; design: Design; image: RunImage; backend: BrowserBackend; seed: number; weights?: RunWeights; nodeWeights?: ReadonlyMap<string, NodeWeights>; threads?: WasmThreads }
  /** time every layer (profile.ts, as `convas profile`): the seed's weights (or `weights`) and a seeded random input */
  | { type: 'profile'; design: Design; backend: BrowserBackend; seed: number; runs: number; weights?: RunWeights; threads?: WasmThreads }
  | { type: 'featureMaps'; nodeId: string; maxChannels: number }
  /** the gradient map of one unit of the node on the last run's weights and image (`unit` absent: the centre one) */
  | { type: 'erf'; nodeId: string; unit?: [number, number] }
  /** compile with seeded weights (or `nodeWeights` where given) and serialize as tfjs model.json (weights in one file, `weightsPath`) */
  | { type: 'save'; design: Design; seed: number; weightsPath: string; nodeWeights?: ReadonlyMap<string, NodeWeights> }
  /** put a tfjs model's weights into the compiled design (by weight name) and read each node's back, by node id */
  | { type: 'nodeWeights'; design: Design; weights: RunWeights };

export interface OutputSummary {
  shape: Shape;
  /** the five largest values and their indices, for a flat output (a softmax's classes) */
  top5?: { index: number; value: number }[];
  /** the first values of a flat output */
  head?: number[];
  /** over every value of the output */
  min?: number;
  mean?: number;
  max?: number;
  /** for an `[H, W, classes]` output (classes ≥ 2): the class each pixel scores highest, row-major (`argmaxPerPixel`) */
  classMap?: Int32Array;
}

export interface FeatureChannel {
  min: number;
  max: number;
  /** one byte a pixel, the channel scaled from [min, max] to [0, 255]; absent for flat outputs */
  gray: Uint8ClampedArray;
}

export type WorkerResponse =
  | { type: 'progress'; stage: 'backend' | 'compile' | 'forward'; detail?: string }
  /** a profile's passes: `done` of `total` (warm-up included) */
  | { type: 'profileProgress'; done: number; total: number }
  | {
    type: 'result';
    backend: string;
    params: number;
    /** 'seeded': random weights from the seed; 'loaded': the weights sent with the request (a file's, or `nodeWeights`) */
    weights: 'seeded' | 'loaded';
    outputs: Record<string, OutputSummary>;
    compileMs: number;
    forwardMs: number;
    wasm?: WasmThreadsReport;
  }
  | {
    type: 'profiled';
    backend: string;
    /** the device the backend ran on, in words (the GPU's renderer, or the processor's logical cores) */
    device: string;
    wasm?: WasmThreadsReport;
    weights: 'seeded' | 'loaded';
    runs: number;
    warmup: number;
    /** median of whole layer-by-layer passes, ms */
    forwardMs: number;
    /** median of whole passes as one predict, ms */
    predictMs: number;
    /** the median share of a pass its layers' timed windows cover */
    coverage: number;
    nodes: ProfiledNode[];
  }
  | { type: 'featureMaps'; nodeId: string; shape: Shape; channels: FeatureChannel[]; values?: number[] }
  | { type: 'erf'; field: EffectiveField }
  /** model.json text (`format: 'layers-model'`, weightsManifest paths `[weightsPath]`) and the weights file (transferred) */
  | { type: 'saved'; modelJson: string; weights: ArrayBuffer }
  /** node id → weights in Convas's layouts, for every node that has some (buffers transferred) */
  | { type: 'nodeWeights'; byNode: Map<string, NodeWeights> }
  | { type: 'error'; message: string; nodeId?: string };
