/**
 * Trained weights on the command line (docs/command-line.md#weights): `run --weights MODEL_JSON` and `export
 * --weights-from MODEL_JSON` read a tfjs model.json (as `import --weights-out` or `export --to tfjs` wrote it) and
 * its binary files, and put them into the compiled design by layer name instead of the seed's. One path for both:
 * the weights are loaded into the compiled tfjs model (the Run tab's "Load weights…" does the same), and every
 * export reads them back from it.
 */

import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Design } from '../../engine/index.ts';
import { readWeightFiles, WeightsFileError, type LoadedWeights } from '../../drivers/compile/model-json.ts';
import type { Compiled, CompileOptions } from '../../drivers/compile/index.ts';

/**
 * Reads `modelJson` and the weight files its manifest names (beside it).
 * @throws WeightsFileError naming the file that cannot be read or is not a tfjs model with weights.
 */
export async function readWeightsArg(modelJson: string): Promise<LoadedWeights> {
  let text: Buffer;
  try {
    text = await readFile(modelJson);
  } catch (e) {
    throw new WeightsFileError(`cannot read ${modelJson}: ${(e as Error).message}`);
  }
  let paths: string[];
  try {
    const json = JSON.parse(text.toString('utf8')) as { weightsManifest?: { paths?: string[] }[] };
    paths = (json.weightsManifest ?? []).flatMap((g) => g.paths ?? []);
  } catch (e) {
    throw new WeightsFileError(`${modelJson} is not JSON: ${(e as Error).message}`);
  }
  const files = [{ name: basename(modelJson), bytes: toArrayBuffer(text) }];
  for (const p of paths) {
    const file = join(dirname(modelJson), p);
    try {
      files.push({ name: basename(p), bytes: toArrayBuffer(await readFile(file)) });
    } catch (e) {
      throw new WeightsFileError(`cannot read ${file}, which ${modelJson} names: ${(e as Error).message}`);
    }
  }
  return readWeightFiles(files);
}

const toArrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/**
 * Compiles `design` (Node backend set up by the caller) and, with `weights`, loads them in place of the seed's.
 * @throws CompileError (reason 'mismatch' naming the layer and both shapes where a weight does not fit).
 */
export async function compileWithWeights(design: Design, options: CompileOptions, weights?: LoadedWeights, fileName?: string): Promise<Compiled> {
  const { compileDesign } = await import('../../drivers/compile/index.ts');
  const compiled = compileDesign(design, options);
  if (!weights) return compiled;
  try {
    const { loadWeightsInto } = await import('../../drivers/compile/load-weights.ts');
    loadWeightsInto(compiled.model, { specs: weights.specs, data: weights.data, fileName: fileName ?? weights.modelFile });
  } catch (e) {
    compiled.model.dispose();
    throw e;
  }
  return compiled;
}
