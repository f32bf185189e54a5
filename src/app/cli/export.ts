/**
 * `convas export FILE --to pytorch --out PATH [--weights] [--seed N]`: writes the design as code another
 * framework runs. With `--weights`, the seed's initial weights (engine/initial-weights.ts: the ones `convas run`,
 * the tfjs and the ONNX exports hold for that seed) go beside it in PyTorch's layouts (`PATH` without `.py` +
 * `.weights.json` manifest and `.weights.bin` raw float32), for `load_convas_weights`. The seed defaults to
 * `DEFAULT_SEED`, as in the editor, and every message names it.
 * `--to svg` / `--to png [--scale N]` write a picture of the graph (the PNG is the SVG rasterized by resvg).
 */

import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { formatError } from '../../engine/index.ts';
import { toOnnx } from '../../drivers/export/onnx.ts';
import { toPyTorch } from '../../drivers/export/pytorch.ts';
import { seededTorchWeights, torchStateDict } from '../../drivers/export/torch-layout.ts';
import type { Compiled } from '../../drivers/compile/index.ts';
import type { LoadedWeights } from '../../drivers/compile/model-json.ts';
import { toSvg } from '../../drivers/export/svg.ts';
import { parseArgs, parseSeed, UsageError, writeErr, writeProblem } from './io.ts';
import { loadDesignFile } from './summary.ts';

const FORMATS = ['pytorch', 'svg', 'png', 'onnx', 'tfjs'] as const;
/** `--scale` above this makes pictures nobody needs (and the 16384 px cap would shrink most of them anyway). */
const MAX_SCALE = 8;

type Loaded = NonNullable<Awaited<ReturnType<typeof loadDesignFile>>>;

/** `--weights-from`: the model.json as given and the weights read from it. */
interface Trained {
  file: string;
  weights: LoadedWeights;
}

/**
 * The design compiled on the Node cpu backend with the seed's weights, or `trained`'s in their place; undefined
 * (the reason said: a weight that does not fit names the layer and both shapes) when it cannot be.
 */
async function compileTrained(file: string, loaded: Loaded, seed: number, trained?: Trained): Promise<Compiled | undefined> {
  await (await import('../../drivers/compile/node-backend.ts')).setupNodeBackend('cpu');
  try {
    return await (await import('./weights.ts')).compileWithWeights(loaded.design, { seed }, trained?.weights, trained?.file);
  } catch (e) {
    writeErr(`cannot ${trained ? `put the weights of ${trained.file} into` : 'compile'} ${file}: ${(e as Error).message}`);
    return undefined;
  }
}

/**
 * Says that `file`'s design has errors (how many, and the first with its layer's name) and returns exit code 1.
 * `note` follows the count: ' (drawn in red)' where a picture is written anyway.
 */
function refuseInvalid(file: string, loaded: Loaded, note = ''): number {
  writeErr(`${file}: the design has ${loaded.analysis.errors.length} error(s)${note}; first: ${formatError(loaded.analysis.errors[0], loaded.design)}`);
  return 1;
}

export async function exportCommand(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv, { to: 'string', out: 'string', weights: 'bool', seed: 'string', scale: 'string', 'weights-from': 'string' });
  if (positional.length !== 1) throw new UsageError('export takes exactly one FILE');
  const to = options.to;
  if (typeof to !== 'string' || !(FORMATS as readonly string[]).includes(to)) {
    throw new UsageError(`--to must be one of: ${FORMATS.join(', ')}${to ? ` (got "${to}")` : ''}`);
  }
  if (typeof options.out !== 'string') throw new UsageError('--out PATH is required');
  const seed = parseSeed(options.seed);
  let scale: number | undefined;
  if (options.scale !== undefined) {
    if (to !== 'png') throw new UsageError('--scale applies to --to png only');
    scale = typeof options.scale === 'string' && /^(\d+\.?\d*|\.\d+)$/.test(options.scale) ? Number(options.scale) : NaN;
    if (!(scale > 0 && scale <= MAX_SCALE)) {
      throw new UsageError(`--scale must be a number above 0 and at most ${MAX_SCALE} (got "${options.scale}")`);
    }
  }
  if (options['weights-from'] === true) throw new UsageError('--weights-from needs a tfjs model.json');
  const weightsFrom = typeof options['weights-from'] === 'string' ? options['weights-from'] : undefined;
  if (weightsFrom && (to === 'svg' || to === 'png')) throw new UsageError('--weights-from applies to --to pytorch, onnx and tfjs');
  const loaded = await loadDesignFile(positional[0]);
  if (!loaded) return 2;
  let trained: Trained | undefined;
  if (weightsFrom) {
    try {
      trained = { file: weightsFrom, weights: await (await import('./weights.ts')).readWeightsArg(weightsFrom) };
    } catch (e) {
      writeErr((e as Error).message);
      return 2;
    }
  }
  // --weights is kept for --to onnx: the file always holds weights (the seed's, or --weights-from's).
  if (to === 'onnx') return exportOnnx(positional[0], loaded, options.out, seed, trained);
  if (to === 'tfjs') return exportTfjs(positional[0], loaded, options.out, seed, trained);
  if (to === 'png') return exportPng(positional[0], loaded, options.out, scale);
  if (to === 'svg') {
    try {
      await writeFile(options.out, toSvg(loaded.design, loaded.analysis));
    } catch (e) {
      writeErr(`cannot write ${options.out}: ${writeProblem(options.out, e)}`);
      return 2;
    }
    writeErr(`wrote ${options.out} (a layered picture of the graph; the editor draws the full one)`);
    if (!loaded.analysis.valid) return refuseInvalid(positional[0], loaded, ' (drawn in red)');
    return 0;
  }
  if (!loaded.analysis.valid) return refuseInvalid(positional[0], loaded);
  let compiled: Compiled | undefined;
  if (trained) {
    compiled = await compileTrained(positional[0], loaded, seed, trained);
    if (!compiled) return 1;
  }
  const code = toPyTorch(loaded.design, loaded.analysis);
  const out = options.out;
  const wrote = [out];
  try {
    await writeFile(out, code);
  } catch (e) {
    writeErr(`cannot write ${out}: ${writeProblem(out, e)}`);
    return 2;
  }
  if (options.weights || compiled) {
    const stem = out.replace(/\.py$/, '');
    const bin = `${stem}.weights.bin`;
    let w;
    try {
      w = compiled
        ? (await import('../../drivers/export/torch-weights.ts')).torchWeights(loaded.design, compiled, basename(bin), null)
        : seededTorchWeights(loaded.design, loaded.analysis, seed, basename(bin));
    } catch (e) {
      writeErr(`cannot compute the weights: ${(e as Error).message}`);
      return 1;
    } finally {
      compiled?.model.dispose();
    }
    try {
      await writeFile(bin, w.data);
      await writeFile(`${stem}.weights.json`, JSON.stringify(w.manifest, null, 1));
    } catch (e) {
      writeErr(`cannot write the weights beside ${out}: ${writeProblem(out, e)}`);
      return 2;
    }
    wrote.push(`${stem}.weights.json`, bin);
  }
  const said = trained ? `; weights from ${trained.file}` : options.weights ? `; initial weights, seed ${seed}` : '';
  writeErr(`wrote ${wrote.join(', ')} (PyTorch nn.Module, NCHW input${said})`);
  return 0;
}

/** `--to png [--scale N]`: the SVG picture rasterized by resvg; exit 1 (file written) for a design with errors. */
async function exportPng(
  file: string, loaded: Loaded, out: string, scale: number | undefined,
): Promise<number> {
  // Loaded lazily: only --to png pays for resvg's native binary (which png-node loads on first use).
  const { renderPng, PngUnavailableError, MAX_SIDE } = await import('../../drivers/export/png-node.ts');
  let picture;
  try {
    picture = renderPng(toSvg(loaded.design, loaded.analysis), { scale });
  } catch (e) {
    // No binary for this platform: one line naming the package, already in the error's message.
    writeErr(e instanceof PngUnavailableError ? e.message : `cannot render the PNG: ${(e as Error)?.message ?? String(e)}`);
    return 2;
  }
  if (picture.scale !== picture.requestedScale) {
    writeErr(
      `at scale ${picture.requestedScale} the picture would be ${Math.ceil(picture.svgWidth * picture.requestedScale)}×`
      + `${Math.ceil(picture.svgHeight * picture.requestedScale)} px; scale reduced to ${+picture.scale.toFixed(3)} so that`
      + ` no side exceeds ${MAX_SIDE} px (--to svg keeps every detail)`,
    );
  }
  try {
    await writeFile(out, picture.png);
  } catch (e) {
    writeErr(`cannot write ${out}: ${writeProblem(out, e)}`);
    return 2;
  }
  writeErr(`wrote ${out} (PNG ${picture.width}×${picture.height} px, scale ${+picture.scale.toFixed(3)}; a layered picture of the graph)`);
  if (!loaded.analysis.valid) return refuseInvalid(file, loaded, ' (drawn in red)');
  return 0;
}

/** `--to onnx`: opset 13, NCHW, the seed's initial weights (the same as tfjs's and PyTorch --weights'). */
async function exportOnnx(
  file: string, loaded: Loaded, out: string, seed: number, trained?: Trained,
): Promise<number> {
  if (!loaded.analysis.valid) return refuseInvalid(file, loaded);
  let weights;
  if (trained) {
    const compiled = await compileTrained(file, loaded, seed, trained);
    if (!compiled) return 1;
    try {
      const { compiledNodeWeights } = await import('../../drivers/compile/index.ts');
      weights = torchStateDict(loaded.design, compiled.analysis, { weightsOf: (id) => compiledNodeWeights(compiled, id) });
    } finally {
      compiled.model.dispose();
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = toOnnx(loaded.design, { seed, analysis: loaded.analysis, weights });
  } catch (e) {
    writeErr(`cannot export to ONNX: ${(e as Error).message}`);
    return 1;
  }
  try {
    await writeFile(out, bytes);
  } catch (e) {
    writeErr(`cannot write ${out}: ${writeProblem(out, e)}`);
    return 2;
  }
  writeErr(`wrote ${out} (ONNX opset 13, NCHW input, ${trained ? `weights from ${trained.file}` : `initial weights, seed ${seed}`})`);
  return 0;
}

/** `--to tfjs --out DIR`: the compiled model (the seed's initial weights) as tfjs model.json + weights.bin. */
async function exportTfjs(
  file: string, loaded: Loaded, dir: string, seed: number, trained?: Trained,
): Promise<number> {
  if (!loaded.analysis.valid) return refuseInvalid(file, loaded);
  const compiled = await compileTrained(file, loaded, seed, trained);
  if (!compiled) return 1;
  try {
    const files = await (await import('../../drivers/compile/save.ts')).saveLayersModel(compiled.model, dir);
    writeErr(`wrote ${files.join(', ')} (tfjs LayersModel, NHWC input, ${trained ? `weights from ${trained.file}` : `initial weights, seed ${seed}`})`);
    return 0;
  } catch (e) {
    writeErr(`cannot write ${dir}: ${writeProblem(dir, e)}`);
    return 2;
  } finally {
    compiled.model.dispose();
  }
}
