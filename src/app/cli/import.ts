/**
 * `convas import MODEL_JSON --out FILE`: a Keras or tfjs `model.json` topology → a Convas design file; an `.onnx`
 * file goes to the ONNX reader (import-onnx.ts, with `--weights-out DIR`).
 * Exit 0 for a design that analyses without errors, 1 when the model uses a layer or option Convas cannot
 * express (named on stderr) or the imported design has errors (still written), 2 for an unreadable file.
 */

import { readFile, writeFile } from 'node:fs/promises';
import { analyze, designToText, formatError, stripBom } from '../../engine/index.ts';
import { ImportError, importKeras } from '../../drivers/import/keras-import.ts';
import { parseArgs, UsageError, writeErr, writeProblem } from './io.ts';

export async function importCommand(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv, { out: 'string', name: 'string', 'weights-out': 'string' });
  if (positional.length !== 1) throw new UsageError('import takes exactly one MODEL_JSON or MODEL.onnx');
  if (typeof options.out !== 'string') throw new UsageError('--out FILE is required');
  const file = positional[0];
  const name = typeof options.name === 'string' ? options.name : undefined;
  if (options['weights-out'] === true) throw new UsageError('--weights-out needs a folder');
  const weightsOut = typeof options['weights-out'] === 'string' ? options['weights-out'] : undefined;
  if (/\.onnx$/i.test(file)) return (await import('./import-onnx.ts')).importOnnxCommand(file, options.out, weightsOut, name);
  if (weightsOut) throw new UsageError('--weights-out applies to an ONNX model (a Keras model.json is a topology)');
  let json: unknown;
  try {
    json = JSON.parse(stripBom(await readFile(file, 'utf8')));
  } catch (e) {
    writeErr(`cannot read ${file}: ${(e as Error).message}`);
    return 2;
  }
  let design;
  try {
    design = importKeras(json, name);
  } catch (e) {
    if (e instanceof ImportError) {
      writeErr(`${file}: ${e.message}`);
      return 1;
    }
    throw e;
  }
  try {
    await writeFile(options.out, designToText(design));
  } catch (e) {
    writeErr(`cannot write ${options.out}: ${writeProblem(options.out, e)}`);
    return 2;
  }
  const a = analyze(design);
  writeErr(`wrote ${options.out} (${design.nodes.length} nodes, ${a.totals.params} parameters)`);
  if (!a.valid) {
    writeErr(`the imported design has ${a.errors.length} error(s); first: ${formatError(a.errors[0], design)}`);
    return 1;
  }
  return 0;
}
