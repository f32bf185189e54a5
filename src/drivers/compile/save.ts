/**
 * Node only: saves a compiled model as a tfjs `model.json` + `weights.bin` in a folder (what
 * `tf.loadLayersModel('file://…/model.json')` or the browser's `tf.loadLayersModel(url)` read back).
 * Written for `convas export --to tfjs` (src/app/cli/export.ts calls it). The files' contents come from
 * `serializeLayersModel` (browser-safe, also behind the editor's Export menu).
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { serializeLayersModel } from './serialize.ts';

/** Saves `model` into `dir` (created if needed); returns the files written. */
export async function saveLayersModel(model: tfTypes.LayersModel, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const { modelJson, weights } = await serializeLayersModel(model, 'weights.bin');
  await writeFile(join(dir, 'weights.bin'), new Uint8Array(weights));
  await writeFile(join(dir, 'model.json'), modelJson);
  return [join(dir, 'model.json'), join(dir, 'weights.bin')];
}
