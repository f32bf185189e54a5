/**
 * A tfjs model.json opened together with its weight files (Export → TensorFlow.js model writes them; so does
 * `convas import --weights-out`): the weights come back with the design, so that an imported model's trained weights
 * survive a round trip through files. Pure: reads the picked files with model-json.ts's `readWeightFiles` (no tfjs);
 * the run worker later puts them into the compiled design by weight name and reads each node's back.
 */

import { readWeightFiles, type LoadedWeights } from '../../drivers/compile/model-json.ts';

/**
 * The weights of `modelJson` held in `companions` (its .bin files), or the reason they cannot be read (a missing
 * file, sizes that do not belong together); null when no companions were given.
 */
export async function readCompanionWeights(modelJson: File, companions: readonly File[]): Promise<LoadedWeights | string | null> {
  if (!companions.length) return null;
  try {
    const picked = await Promise.all([modelJson, ...companions].map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
    return readWeightFiles(picked);
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * The file to open among several picked or dropped together, and the others (its weight files): the .onnx or
 * .json file, else the first.
 * @example primaryFile([bin, json]) // → { file: json, companions: [bin] }
 */
export function primaryFile(files: readonly File[]): { file: File; companions: File[] } | null {
  if (!files.length) return null;
  const file = files.find((f) => /\.(onnx|json)$/i.test(f.name)) ?? files[0];
  return { file, companions: files.filter((f) => f !== file) };
}
