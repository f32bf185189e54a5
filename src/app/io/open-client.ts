/**
 * Opens a design file in a Web Worker (open-worker.ts): reading, parsing, the limits of design-guard.ts and one
 * analysis all happen off the page's thread, with progress, and `cancel()` stops it at once (the worker is
 * terminated). Where workers are missing (tests in Node) the same steps run here.
 */

import { checkAnalysable } from './design-guard.ts';
import { loadFile, type Loaded } from './design-io.ts';
import { readCompanionWeights } from './model-weights-open.ts';
import { isOnnxFile, loadOnnxFile } from './onnx-open.ts';
import type { OpenRequest, OpenResponse, OpenStage } from './open-protocol.ts';

export type { OpenRequest, OpenResponse, OpenStage };

export interface OpenJob {
  /** the design or the reason it was refused; null when cancelled */
  result: Promise<Loaded | null>;
  cancel(): void;
}

/**
 * Starts opening `file` (a design, a Keras/tfjs model.json, or an ONNX model with its weights); `onProgress` hears
 * the stage and the fraction of it done (0..1) while reading the file or importing a model. `companions` are files
 * picked with it: a model.json's .bin files, whose weights then come back as `modelWeights`.
 */
export function openFileOffThread(file: File, onProgress: (stage: OpenStage, fraction?: number) => void, companions: File[] = []): OpenJob {
  if (typeof Worker === 'undefined') {
    let cancelled = false;
    const result = (async () => {
      const r = isOnnxFile(file) ? await loadOnnxFile(file, onProgress) : await loadFile(file, (f) => onProgress('reading', f));
      if (cancelled) return null;
      if (!r.ok) return r;
      const weights = !isOnnxFile(file) && !r.weights ? await readCompanionWeights(file, companions) : null;
      if (typeof weights === 'string') return { ok: false as const, error: `${file.name}: its weights could not be read (${weights})` };
      const bad = checkAnalysable(r.design, r.issues);
      return bad ? { ok: false as const, error: `${file.name}: ${bad.error}` } : weights ? { ...r, modelWeights: weights } : r;
    })();
    return { result, cancel: () => void (cancelled = true) };
  }
  const worker = new Worker(new URL('./open-worker.ts', import.meta.url), { type: 'module', name: 'convas-open' });
  let settle: (r: Loaded | null) => void = () => {};
  const result = new Promise<Loaded | null>((resolve) => (settle = resolve));
  worker.onmessage = (e: MessageEvent<OpenResponse>) => {
    const m = e.data;
    if (m.type === 'progress') return onProgress(m.stage, m.fraction);
    worker.terminate();
    settle(m.result);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    worker.terminate();
    settle({ ok: false, error: `${file.name}: the file could not be opened (${e.message || 'the open worker failed'})` });
  };
  worker.postMessage({ file, companions } satisfies OpenRequest);
  return {
    result,
    cancel() {
      worker.terminate();
      settle(null);
    },
  };
}
