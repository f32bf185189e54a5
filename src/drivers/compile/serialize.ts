/**
 * A compiled model → the tfjs `model.json` text and its one weights file, in memory. Browser-safe (the run
 * worker's 'save' request uses it); `save.ts` writes the same two files to disk for the command line.
 */

import type * as tfTypes from '@tensorflow/tfjs';
import { tf } from './index.ts';
import { buildModelJson, joinWeightData } from './model-json.ts';

/**
 * Serializes `model`; `weightsPath` is the weights file's name as model.json names it (relative to model.json).
 * @example const { modelJson, weights } = await serializeLayersModel(compiled.model, 'weights.bin')
 */
export async function serializeLayersModel(model: tfTypes.LayersModel, weightsPath: string): Promise<{ modelJson: string; weights: ArrayBuffer }> {
  let out: { modelJson: string; weights: ArrayBuffer } | null = null;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weights = joinWeightData(artifacts.weightData as ArrayBuffer | ArrayBuffer[] | undefined);
    out = { modelJson: JSON.stringify(buildModelJson(artifacts, weightsPath)), weights };
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
  }));
  if (!out) throw new Error('tfjs saved no model');
  return out;
}
