/**
 * Node only: saves a compiled model as a tfjs `model.json` + `weights.bin` in a folder (what
 * `tf.loadLayersModel('file://…/model.json')` or the browser's `tf.loadLayersModel(url)` read back).
 * Written for `convas export --to tfjs` (src/export owns this file).
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { tf } from './index.ts';

/** Saves `model` into `dir` (created if needed); returns the files written. */
export async function saveLayersModel(model: tfTypes.LayersModel, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const raw = artifacts.weightData;
    const parts = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const bytes = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0));
    let at = 0;
    for (const b of parts) {
      bytes.set(new Uint8Array(b), at);
      at += b.byteLength;
    }
    const json = {
      format: 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: 'convas',
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
    };
    await writeFile(join(dir, 'weights.bin'), bytes);
    await writeFile(join(dir, 'model.json'), JSON.stringify(json));
    files.push(join(dir, 'model.json'), join(dir, 'weights.bin'));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.byteLength } };
  }));
  return files;
}
