/**
 * `convas run FILE [--image PNG_OR_JPEG] [--backend wasm|cpu] [--seed N] [--json]` (contract §3): compiles the
 * design into a tfjs model in Node and runs one forward pass on the image (resized bilinear to the input shape,
 * scaled 0..1) or on a seeded random image. Weights are the seed's initial ones (core/initial-weights.ts, the same
 * as the exports'), `--seed` default `DEFAULT_SEED` as in the editor; every report names the seed.
 * Exit 0 ok; 1 invalid design or one tfjs cannot run (memory guard, unsupported combination); 2 a file that
 * cannot be read, is not a design or is not an image.
 */

import { formatInt } from '../core/index.ts';
import type { Design } from '../core/index.ts';
import { DEFAULT_SEED } from '../core/initial-weights.ts';
import { parseArgs, UsageError, writeErr, writeOut } from './io.ts';
import { loadDesignFile } from './summary.ts';

/** What `run --json` prints (contract §3). */
export interface RunReport {
  backend: string;
  params: number;
  /** the seed of the weights (and of the random image when no `--image` is given) */
  seed: number;
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

function softmaxOutputs(design: Design): Set<string> {
  const out = new Set<string>();
  for (const n of design.nodes) {
    const p = n.params as Record<string, unknown> | undefined;
    if (p && (p.activation === 'softmax' || (n.kind === 'activation' && p.fn === 'softmax'))) out.add(n.id);
  }
  return out;
}

export async function runCommand(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv, { json: 'bool', image: 'string', backend: 'string', seed: 'string' });
  if (positional.length !== 1) throw new UsageError('run takes exactly one FILE');
  const backendName = (options.backend ?? 'wasm') as string;
  if (backendName !== 'wasm' && backendName !== 'cpu') throw new UsageError(`--backend must be wasm or cpu, got "${backendName}"`);
  let seed = DEFAULT_SEED;
  if (options.seed !== undefined) {
    if (typeof options.seed !== 'string' || !/^-?\d+$/.test(options.seed) || !Number.isSafeInteger(Number(options.seed))) {
      throw new UsageError(`--seed must be an integer, got "${options.seed}"`);
    }
    seed = Number(options.seed);
  }
  if (options.image === true) throw new UsageError('--image needs a file');

  const loaded = await loadDesignFile(positional[0]);
  if (!loaded) return 2;
  const { analysis, design } = loaded;

  // Loaded only now: tfjs is heavy, and a file that is not a design never pays for it.
  const { readImageFile, imageToInput, randomInput, ImageError } = await import('../compile/node-image.ts');
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
  if (!analysis.valid) {
    writeErr(`${positional[0]}: invalid design (${analysis.errors.length} error${analysis.errors.length === 1 ? '' : 's'})`);
    for (const e of analysis.errors.slice(0, 20)) process.stderr.write(`  ${e.message}\n`);
    return 1;
  }

  const { compileDesign, CompileError, tf } = await import('../compile/index.ts');
  const { setupNodeBackend } = await import('../compile/node-backend.ts');
  let backend: string;
  try {
    backend = await setupNodeBackend(backendName);
  } catch (e) {
    writeErr(`cannot start the ${backendName} backend: ${(e as Error).message}`);
    return 1;
  }

  let report: RunReport;
  try {
    const t0 = performance.now();
    const compiled = compileDesign(design, { seed });
    const compileMs = performance.now() - t0;
    const { model } = compiled;
    const inputs = model.inputs.map((t, i) => {
      const shape = t.shape.slice(1) as number[];
      return image ? imageToInput(image, shape) : randomInput(shape, seed + i);
    });
    const t1 = performance.now();
    const raw = model.predict(inputs.length === 1 ? inputs[0] : inputs);
    const ys = Array.isArray(raw) ? raw : [raw];
    const values = await Promise.all(ys.map((y) => y.data()));
    const forwardMs = performance.now() - t1;

    const hasOut = new Set(design.edges.map((e) => e.source));
    const outIds = design.nodes.filter((n) => !hasOut.has(n.id)).map((n) => n.id);
    const outputs: Record<string, number[]> = {};
    const stats: RunReport['stats'] = {};
    const top: RunReport['top'] = {};
    const soft = softmaxOutputs(design);
    outIds.forEach((id, i) => {
      outputs[id] = ys[i].shape.slice(1);
      const v = values[i];
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      for (const x of v) {
        if (x < min) min = x;
        if (x > max) max = x;
        sum += x;
      }
      stats[id] = { min, max, mean: v.length ? sum / v.length : NaN };
      if (soft.has(id) && ys[i].rank === 2) {
        top[id] = Array.from(v, (p, k) => [k, p] as [number, number]).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 5);
      }
    });
    report = {
      backend, params: model.countParams(), seed, image: typeof options.image === 'string' ? options.image : null,
      outputs, stats, top, compileMs: round1(compileMs), forwardMs: round1(forwardMs),
    };
    tf.dispose([...inputs, ...ys]);
    model.dispose();
  } catch (e) {
    if (e instanceof CompileError) {
      writeErr(`${positional[0]}: cannot run: ${e.message}`);
      return 1;
    }
    const message = (e as Error).message ?? String(e);
    writeErr(`${positional[0]}: cannot run in tfjs: ${message.split('\n')[0]}`);
    return 1;
  }

  if (options.json) {
    await writeOut(JSON.stringify(report, null, 2) + '\n');
    return 0;
  }
  const lines = [
    `Design: ${design.name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')}`,
    `Backend: ${report.backend}`,
    `Params: ${formatInt(report.params)}`,
    `Weights: random (seed ${seed})`,
    `Input: ${image ? `image ${options.image} (${image.width}×${image.height}, resized bilinear, 0..1)` : `random image (seed ${seed})`}`,
    'Outputs:',
    ...Object.entries(report.outputs).map(([id, s]) => {
      const st = report.stats[id];
      return `  ${id}: [${s.join(', ')}]  min ${st.min.toPrecision(4)}  max ${st.max.toPrecision(4)}  mean ${st.mean.toPrecision(4)}`;
    }),
  ];
  for (const [id, t] of Object.entries(report.top)) {
    lines.push(`Top-5 of ${id} (random weights, seed ${seed}):`);
    for (const [k, p] of t) lines.push(`  class ${String(k).padStart(4)}  ${p.toFixed(4)}`);
  }
  lines.push(`Compile: ${report.compileMs} ms`, `Forward: ${report.forwardMs} ms`);
  await writeOut(lines.join('\n') + '\n');
  return 0;
}
