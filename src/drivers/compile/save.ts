/**
 * Node only: saves a compiled model as a tfjs `model.json` + `weights.bin` in a folder (what
 * `tf.loadLayersModel('file://…/model.json')` or the browser's `tf.loadLayersModel(url)` read back), and beside
 * them `convas-tfjs-layers.js` where stock tfjs needs it to load or compute the model (`convasLayersNeeded`).
 * Written for `convas export --to tfjs` (src/app/cli/export.ts calls it). The files' contents come from
 * `serializeLayersModel` (browser-safe, also behind the editor's Export menu).
 */

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { CONVAS_LAYERS_SCRIPT, convasLayersNeeded } from './model-json.ts';
import { serializeLayersModel } from './serialize.ts';

/** The text of the script that registers Convas's layer classes in stock tfjs 4.22. */
export const convasLayersScript = (): Promise<string> => readFile(new URL(`./${CONVAS_LAYERS_SCRIPT}`, import.meta.url), 'utf8');

/** Saves `model` into `dir` (created if needed); returns the files written. */
export async function saveLayersModel(model: tfTypes.LayersModel, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const { modelJson, weights } = await serializeLayersModel(model, 'weights.bin');
  await writeFile(join(dir, 'weights.bin'), new Uint8Array(weights));
  await writeFile(join(dir, 'model.json'), modelJson);
  const files = [join(dir, 'model.json'), join(dir, 'weights.bin')];
  if (convasLayersNeeded(JSON.parse(modelJson).modelTopology).length > 0) {
    await writeFile(join(dir, CONVAS_LAYERS_SCRIPT), await convasLayersScript());
    files.push(join(dir, CONVAS_LAYERS_SCRIPT));
  }
  return files;
}
