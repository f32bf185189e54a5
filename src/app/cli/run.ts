/**
 * `convas run FILE [--image PNG_OR_JPEG] [--fit crop|stretch] [--backend wasm|cpu] [--seed N] [--max-gmacs N] [--json]`
 * (docs/command-line.md#run): compiles the design into a tfjs model in Node and runs one forward pass on the image
 * (centre-cropped to the input's aspect unless `--fit stretch`, the Run tab's rule in image-fit.ts, then resized
 * bilinear to the input shape, scaled 0..1) or on a seeded random image. Weights are the seed's initial ones
 * (engine/initial-weights.ts, the same as the exports'), `--seed` default `DEFAULT_SEED` as in the editor; every
 * report names the seed.
 * Exit 0 ok; 1 invalid design or one tfjs cannot run (memory guard, unsupported combination); 2 a file that
 * cannot be read, is not a design or is not an image.
 */

import { escapeControl, formatInt, getLayerKind, outputNodes } from '../../engine/index.ts';
import type { Resolution } from '../../engine/resolve.ts';
import { topK, valueStats } from '../../drivers/compile/output-stats.ts';
import { DEFAULT_IMAGE_FIT, describeFit, IMAGE_FITS, type ImageFit } from '../../drivers/compile/image-fit.ts';
import { parseArgs, parseSeed, UsageError, writeErr, writeJson, writeOut } from './io.ts';
import { loadDesignFile } from './summary.ts';
import { backendOption, refuseInvalid, startBackend, weightsOption } from './compute.ts';

/** What `run --json` prints (docs/command-line.md#run). */
export interface RunReport {
  backend: string;
  params: number;
  /** the seed of the weights (and of the random image when no `--image` is given) */
  seed: number;
  /** the `--weights` model.json as given, where the weights are a trained model's rather than the seed's */
  weights?: string;
  /** the `--image` path as given, or null for the seeded random image */
  image: string | null;
  outputs: Record<string, number[]>;
  /** per output node, over all its values */
  stats: Record<string, { min: number; max: number; mean: number }>;
  /** per softmax output with a flat shape: its five most probable classes, [classIndex, probability], best first */
  top: Record<string, [number, number][]>;
  compileMs: number;
  forwardMs: number;
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

/**
 * The nodes whose output is a softmax, read off the compiled design's resolved params (defaults filled in: a dense
 * left at its default is linear).
 */
function softmaxOutputs(resolved: Resolution): Set<string> {
  const out = new Set<string>();
  for (const r of resolved.nodes) {
    if (getLayerKind(r.kind)?.outputActivation?.(r.params) === 'softmax') out.add(r.id);
  }
  return out;
}

export async function runCommand(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv, { json: 'bool', image: 'string', backend: 'string', seed: 'string', fit: 'string', 'max-gmacs': 'string', weights: 'string' });
  if (positional.length !== 1) throw new UsageError('run takes exactly one FILE');
  const backendName = backendOption(options.backend);
  const seed = parseSeed(options.seed);
  let maxMacs: number | undefined;
  if (options['max-gmacs'] !== undefined) {
    const v = String(options['max-gmacs']);
    maxMacs = /^(\d+\.?\d*|\.\d+)$/.test(v) ? Number(v) * 1e9 : NaN;
    if (!(maxMacs > 0)) throw new UsageError(`--max-gmacs must be a number of GMACs above 0, got "${v}"`);
  }
  if (options.image === true) throw new UsageError('--image needs a file');
  const fit = options.fit ?? DEFAULT_IMAGE_FIT;
  if (typeof fit !== 'string' || !(IMAGE_FITS as readonly string[]).includes(fit)) {
    throw new UsageError(`--fit must be one of ${IMAGE_FITS.join(', ')}, got "${fit === true ? '' : fit}"`);
  }

  const loaded = await loadDesignFile(positional[0]);
  if (!loaded) return 2;
  const { analysis, design } = loaded;
  const given = await weightsOption(options.weights);
  if (given === 'unreadable') return 2;
  const weightsFile = given?.file;
  const weights = given?.weights;

  // Loaded only now: tfjs is heavy, and a file that is not a design never pays for it.
  const { readImageFile, imageToInput, randomInput, ImageError } = await import('../../drivers/compile/node-image.ts');
  let image: Awaited<ReturnType<typeof readImageFile>> | null = null;
  if (typeof options.image === 'string') {
    try {
      image = await readImageFile(options.image);
    } catch (e) {
      if (e instanceof ImageError) {
        writeErr(e.message);
        return 2;
      }
      throw e;
    }
  }
  if (refuseInvalid(positional[0], loaded)) return 1;

  const { CompileError, DEFAULT_MAC_BUDGET, MACS_PER_SECOND, expectedTime, tf } = await import('../../drivers/compile/index.ts');
  const { failOnKernelErrors, KernelError } = await import('../../drivers/compile/node-backend.ts');
  const backend = await startBackend(backendName);
  if (backend === null) return 1;

  let report: RunReport;
  let inputFit: string | undefined;
  try {
    const t0 = performance.now();
    const compiled = await (await import('./weights.ts')).compileWithWeights(design, { seed, macBudget: maxMacs ?? DEFAULT_MAC_BUDGET, backend }, weights, weightsFile);
    // A long run says so before it starts (the time is an estimate: see MACS_PER_SECOND).
    const macs = analysis.totals.macs;
    if (macs / (MACS_PER_SECOND[backend] ?? MACS_PER_SECOND.cpu) >= 5) {
      writeErr(`${formatInt(macs)} MACs: the forward pass takes ${expectedTime(macs, backend)}`);
    }
    const compileMs = performance.now() - t0;
    const { model } = compiled;
    const inputs = model.inputs.map((t, i) => {
      const shape = t.shape.slice(1) as number[];
      if (image && i === 0 && shape.length === 3) inputFit = describeFit(image.width, image.height, shape[0], shape[1], fit as ImageFit);
      return image ? imageToInput(image, shape, fit as ImageFit) : randomInput(shape, seed + i);
    });
    const t1 = performance.now();
    let ys: InstanceType<typeof tf.Tensor>[] = [];
    const values = await failOnKernelErrors(async () => {
      const raw = model.predict(inputs.length === 1 ? inputs[0] : inputs);
      ys = Array.isArray(raw) ? raw : [raw];
      return Promise.all(ys.map((y) => y.data()));
    }).catch((e) => {
      tf.dispose([...inputs, ...ys]);
      model.dispose();
      throw e;
    });
    const forwardMs = performance.now() - t1;

    const outIds = outputNodes(design).map((n) => n.id);
    // Keyed by node id: null-prototype objects, so an output called `__proto__` is an entry like any other.
    const outputs: Record<string, number[]> = Object.create(null);
    const stats: RunReport['stats'] = Object.create(null);
    const top: RunReport['top'] = Object.create(null);
    const soft = softmaxOutputs(compiled.resolved);
    outIds.forEach((id, i) => {
      outputs[id] = ys[i].shape.slice(1);
      stats[id] = valueStats(values[i]);
      if (soft.has(id) && ys[i].rank === 2) top[id] = topK(values[i], 5);
    });
    report = {
      backend, params: model.countParams(), seed, image: typeof options.image === 'string' ? options.image : null,
      outputs, stats, top, compileMs: round1(compileMs), forwardMs: round1(forwardMs),
      ...(weightsFile ? { weights: weightsFile } : {}),
    };
    tf.dispose([...inputs, ...ys]);
    model.dispose();
  } catch (e) {
    if (e instanceof CompileError || e instanceof KernelError) {
      writeErr(`${positional[0]}: cannot run: ${e.message}`);
      return 1;
    }
    const message = (e as Error).message ?? String(e);
    writeErr(`${positional[0]}: cannot run in tfjs: ${message.split('\n')[0]}`);
    return 1;
  }

  if (options.json) {
    await writeJson(report);
    return 0;
  }
  const lines = [
    `Design: ${escapeControl(design.name)}`,
    `Backend: ${report.backend}`,
    `Params: ${formatInt(report.params)}`,
    `Weights: ${weightsFile ? escapeControl(weightsFile) : `random (seed ${seed})`}`,
    `Input: ${image ? `image ${escapeControl(String(options.image))} (${inputFit ?? `${image.width}×${image.height}`}, bilinear, 0..1)` : `random image (seed ${seed})`}`,
    'Outputs:',
    ...Object.entries(report.outputs).map(([id, s]) => {
      const st = report.stats[id];
      return `  ${escapeControl(id)}: [${s.join(', ')}]  min ${st.min.toPrecision(4)}  max ${st.max.toPrecision(4)}  mean ${st.mean.toPrecision(4)}`;
    }),
  ];
  for (const [id, t] of Object.entries(report.top)) {
    lines.push(`Top-5 of ${escapeControl(id)} (${weightsFile ? `weights: ${escapeControl(weightsFile)}` : `random weights, seed ${seed}`}):`);
    for (const [k, p] of t) lines.push(`  class ${String(k).padStart(4)}  ${p.toFixed(4)}`);
  }
  lines.push(`Compile: ${report.compileMs} ms`, `Forward: ${report.forwardMs} ms`);
  await writeOut(lines.join('\n') + '\n');
  return 0;
}
