/**
 * Messages between the editor and the run worker (`worker.ts`). Plain data, no tfjs types, so the UI can
 * import them without pulling tfjs into the main bundle.
 */

import type { Design, Shape } from '../core/index.ts';

export type BrowserBackend = 'wasm' | 'webgl' | 'cpu';

/** RGBA pixels already resized to the design's input H×W on the main thread. */
export interface RunImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

export type WorkerRequest =
  | { type: 'run'; design: Design; image: RunImage; backend: BrowserBackend; seed: number }
  | { type: 'featureMaps'; nodeId: string; maxChannels: number };

export interface OutputSummary {
  shape: Shape;
  /** the five largest values and their indices, for a flat output (a softmax's classes) */
  top5?: { index: number; value: number }[];
  /** the first values of a flat output */
  head?: number[];
}

export interface FeatureChannel {
  min: number;
  max: number;
  /** one byte a pixel, the channel scaled from [min, max] to [0, 255]; absent for flat outputs */
  gray: Uint8ClampedArray;
}

export type WorkerResponse =
  | { type: 'progress'; stage: 'backend' | 'compile' | 'forward'; detail?: string }
  | {
    type: 'result';
    backend: string;
    params: number;
    outputs: Record<string, OutputSummary>;
    compileMs: number;
    forwardMs: number;
  }
  | { type: 'featureMaps'; nodeId: string; shape: Shape; channels: FeatureChannel[]; values?: number[] }
  | { type: 'error'; message: string; nodeId?: string };
