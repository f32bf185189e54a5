/**
 * The open worker: reads, parses, checks and analyses a design file off the page's thread, telling its
 * progress, so that a huge or hostile file never freezes or crashes the editor (open-client.ts starts it and
 * cancels it by terminating it).
 */

import { checkAnalysable } from './design-guard.ts';
import { loadFile, type Loaded } from './design-io.ts';
import { readCompanionWeights } from './model-weights-open.ts';
import { isOnnxFile, loadOnnxFile } from './onnx-open.ts';
import type { OpenRequest, OpenResponse, OpenStage } from './open-protocol.ts';

const post = (m: OpenResponse, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

/** The buffers behind an opened model's weights, each once (several tensors may share one). */
function weightBuffers(r: Loaded): Transferable[] {
  if (!r.ok) return [];
  const buffers = new Set<ArrayBuffer>();
  for (const w of r.weights?.byNode.values() ?? []) for (const t of Object.values(w)) if (t) buffers.add(t.data.buffer as ArrayBuffer);
  if (r.modelWeights) buffers.add(r.modelWeights.data);
  return [...buffers];
}

self.onmessage = async (e: MessageEvent<OpenRequest>) => {
  try {
    let last = '';
    const progress = (stage: OpenStage, f: number) => {
      const at = `${stage}${Math.floor(f * 100)}`;
      if (at !== last) post({ type: 'progress', stage, fraction: f });
      last = at;
    };
    const file = e.data.file;
    let r = isOnnxFile(file) ? await loadOnnxFile(file, progress) : await loadFile(file, (f) => progress('reading', f));
    if (!r.ok) return post({ type: 'done', result: r });
    // a model.json picked with its .bin files: its weights come along (a design file has none to read)
    const weights = !isOnnxFile(file) && !r.weights ? await readCompanionWeights(file, e.data.companions ?? []) : null;
    if (typeof weights === 'string') return post({ type: 'done', result: { ok: false, error: `${file.name}: its weights could not be read (${weights})` } });
    if (weights) r = { ...r, modelWeights: weights };
    post({ type: 'progress', stage: 'analysing' });
    const bad = checkAnalysable(r.design, r.issues);
    post({ type: 'done', result: bad ? { ok: false, error: `${file.name}: ${bad.error}` } : r }, bad ? [] : weightBuffers(r));
  } catch (err) {
    post({ type: 'done', result: { ok: false, error: `${e.data.file.name}: ${(err as Error).message}` } });
  }
};
