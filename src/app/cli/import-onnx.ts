/**
 * `convas import MODEL.onnx --out DESIGN.convas.json [--weights-out DIR]` (docs/command-line.md#import): an ONNX
 * model → a Convas design, and with `--weights-out` its trained weights as a tfjs model (`DIR/model.json` and
 * `weights.bin`, the files `export --to tfjs` writes), compiled from the design with the model's weights in place
 * of the seed's. Exit 0; 1 when a node cannot be expressed (one line per node on stderr, nothing written) or the
 * weights do not compile; 2 for a file that cannot be read or is no ONNX model.
 */

import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { analyze, designToText, formatError, formatInt } from '../../engine/index.ts';
import { importOnnx, OnnxReadError } from '../../drivers/import/onnx-import.ts';
import { writeErr, writeErrLine, writeProblem } from './io.ts';

/** Runs the ONNX import for `importCommand` (which parsed the arguments). */
export async function importOnnxCommand(file: string, out: string, weightsOut: string | undefined, name: string | undefined): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    writeErr(`cannot read ${file}: ${(e as Error).message}`);
    return 2;
  }
  let result;
  try {
    // named after the file (torch.onnx.export names every graph 'torch_jit')
    result = importOnnx(bytes, { name: name ?? basename(file).replace(/\.onnx$/i, '') });
  } catch (e) {
    if (e instanceof OnnxReadError) {
      writeErr(`${file}: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (result.refusals.length) {
    writeErr(`${file}: ${result.refusals.length} node${result.refusals.length === 1 ? '' : 's'} Convas cannot express; nothing written`);
    for (const r of result.refusals) writeErrLine(`  ${r}`);
    return 1;
  }
  const { design, weights } = result;
  const a = analyze(design);
  if (!a.valid) {
    // a reader's fault rather than the model's: say it, write nothing
    writeErr(`${file}: the imported design has ${a.errors.length} error(s); first: ${formatError(a.errors[0], design)}; nothing written`);
    return 1;
  }
  const written: string[] = [];
  if (weightsOut) {
    await (await import('../../drivers/compile/node-backend.ts')).setupNodeBackend('cpu');
    const { compileDesign } = await import('../../drivers/compile/index.ts');
    let compiled;
    try {
      compiled = compileDesign(design, { weights });
    } catch (e) {
      writeErr(`${file}: cannot compile the weights: ${(e as Error).message}; nothing written`);
      return 1;
    }
    try {
      written.push(...await (await import('../../drivers/compile/save.ts')).saveLayersModel(compiled.model, weightsOut));
    } catch (e) {
      writeErr(`cannot write ${weightsOut}: ${writeProblem(weightsOut, e)}`);
      return 2;
    } finally {
      compiled.model.dispose();
    }
  }
  try {
    await writeFile(out, designToText(design));
  } catch (e) {
    writeErr(`cannot write ${out}: ${writeProblem(out, e)}`);
    return 2;
  }
  written.unshift(out);
  // where to write the design's `outputs` once the contract's list lands: nodes are in the model's order, so the
  // consumer-less nodes in file order are the model's outputs in its order for every torchvision network
  writeErr(`wrote ${written.join(', ')} (${design.nodes.length} nodes, ${formatInt(a.totals.params)} parameters, ONNX opset ${result.opset})`);
  return 0;
}
