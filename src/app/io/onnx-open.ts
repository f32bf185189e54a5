/**
 * Opening an ONNX model in the editor (docs/interop.md#onnx-import): the file's bytes, read in chunks with
 * progress, go to the ONNX reader (drivers/import/onnx-import.ts, loaded only when an `.onnx` file is opened), and
 * the design comes back with the model's trained weights by node id. A model with nodes Convas cannot express
 * comes back refused with the reader's list, one line per node, and nothing opens. Runs in the open worker
 * (open-worker.ts), so a 100 MB model never blocks the page, and Cancel (terminating the worker) stops it anywhere.
 */

import { readDesign } from '../../engine/index.ts';
import type { TrainedWeights } from '../store/state.ts';
import { checkLayerCount } from './design-guard.ts';
import type { Loaded } from './design-io.ts';

/**
 * Largest ONNX file the editor reads (bytes), checked before a byte is read. The page holds the file and the
 * weights read from it (about twice the file): VGG-16's 528 MB is the largest classic CNN, and still opens.
 */
export const MAX_ONNX_BYTES = 1024 * 1048576;

/** Whether a file is opened as an ONNX model (by its name: ONNX files carry no magic number). */
export const isOnnxFile = (file: { name: string }): boolean => /\.onnx$/i.test(file.name);

/** What opening reports: the fraction of the file read, then of the model's nodes and weights imported. */
export type OnnxOpenStage = 'reading' | 'importing';

/**
 * Reads an ONNX model file into a design named after the file (torch.onnx.export names every graph `torch_jit`)
 * and its weights (`weights.source` is the file's name). Never throws: a file over `MAX_ONNX_BYTES`, bytes that are
 * no ONNX model, and a model with refused nodes (`refusals`, one line per node) come back as `{ ok: false }`.
 */
export async function loadOnnxFile(file: File, onProgress?: (stage: OnnxOpenStage, fraction: number) => void): Promise<Loaded> {
  if (file.size > MAX_ONNX_BYTES) {
    return { ok: false, error: `${file.name} is ${(file.size / 1048576).toFixed(0)} MB; the editor opens ONNX models up to ${MAX_ONNX_BYTES / 1048576} MB (use \`convas import\` for larger ones)` };
  }
  let bytes: Uint8Array;
  try {
    bytes = await readBytes(file, (f) => onProgress?.('reading', f));
  } catch (e) {
    return { ok: false, error: `could not read ${file.name}: ${(e as Error).message}` };
  }
  const { importOnnx, OnnxReadError } = await import('../../drivers/import/onnx-import.ts');
  let result;
  try {
    result = importOnnx(bytes, {
      name: file.name.replace(/\.onnx$/i, ''),
      onProgress: (done, total) => onProgress?.('importing', total ? done / total : 1),
    });
  } catch (e) {
    if (e instanceof OnnxReadError) return { ok: false, error: `${file.name}: ${e.message}` };
    return { ok: false, error: `${file.name}: the ONNX reader failed (${(e as Error).message})` };
  }
  if (result.refusals.length) {
    const n = result.refusals.length;
    return {
      ok: false,
      error: `${file.name}: ${n} node${n === 1 ? '' : 's'} Convas cannot express; nothing was opened`,
      refusals: result.refusals,
    };
  }
  const r = readDesign(result.design);
  if (!r.ok) return { ok: false, error: `${file.name}: ${r.error}` };
  const many = checkLayerCount(r.design);
  if (many) return { ok: false, error: `${file.name}: ${many.error}` };
  const weights: TrainedWeights = { source: file.name, byNode: result.weights };
  return { ...r, weights };
}

/** A file's bytes, read in chunks so that progress can be told (one `arrayBuffer()` where streams are missing). */
async function readBytes(file: File, onProgress: (fractionRead: number) => void): Promise<Uint8Array> {
  if (typeof file.stream !== 'function') return new Uint8Array(await file.arrayBuffer());
  const bytes = new Uint8Array(file.size);
  const reader = file.stream().getReader();
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (read + value.byteLength > bytes.length) throw new Error('the file grew while it was read');
    bytes.set(value, read);
    read += value.byteLength;
    onProgress(file.size ? read / file.size : 1);
  }
  return read === bytes.length ? bytes : bytes.subarray(0, read);
}
