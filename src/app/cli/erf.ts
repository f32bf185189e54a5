/**
 * `convas erf FILE --node ID [--image PNG_OR_JPEG] [--seed N] [--weights MODEL_JSON] [--backend wasm|cpu] [--json]`
 * (docs/command-line.md#erf): the effective receptive field of node ID's centre unit, the gradient tfjs computes
 * through the compiled design (drivers/compile/erf.ts), on the seeded weights or a tfjs model's, and on the image
 * `run` would read (centre-cropped, bilinear, 0..1) or the seeded random image. On tfjs's wasm backend by default, as
 * `run`: the cpu one gives the same map (wasm-grad-kernels.ts fills wasm's missing gradients with cpu's sums) about
 * 8× slower (VGG-16 block3_conv3: 117 s on cpu, 14 s on wasm; BENCHMARKS.md).
 * Exit 0 ok; 1 an invalid design, a node without a spatial output, weights that do not fit, or one tfjs cannot
 * run; 2 a file that cannot be read, is not a design or is not an image, and usage errors.
 */

import { escapeControl, formatPair } from '../../engine/index.ts';
import { DEFAULT_IMAGE_FIT } from '../../drivers/compile/image-fit.ts';
import { parseArgs, parseSeed, UsageError, writeErr, writeJson, writeOut } from './io.ts';
import { loadDesignFile } from './summary.ts';
import { backendOption, refuseInvalid, startBackend, weightsOption } from './compute.ts';

/** Shades for the text map, lightest to darkest. */
const SHADES = ' .:-=+*#%@';

export async function erfCommand(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv, { json: 'bool', node: 'string', image: 'string', seed: 'string', weights: 'string', backend: 'string' });
  if (positional.length !== 1) throw new UsageError('erf takes exactly one FILE');
  if (typeof options.node !== 'string' || !options.node) throw new UsageError('erf needs --node ID');
  if (options.image === true) throw new UsageError('--image needs a file');
  const seed = parseSeed(options.seed);
  const backendName = backendOption(options.backend);
  const nodeId = options.node;

  const loaded = await loadDesignFile(positional[0]);
  if (!loaded) return 2;
  const { design } = loaded;
  const { readImageFile, imageToInput, randomInput, ImageError } = await import('../../drivers/compile/node-image.ts');
  let image: Awaited<ReturnType<typeof readImageFile>> | null = null;
  if (typeof options.image === 'string') {
    try {
      image = await readImageFile(options.image);
    } catch (e) {
      if (e instanceof ImageError) { writeErr(e.message); return 2; }
      throw e;
    }
  }
  const given = await weightsOption(options.weights);
  if (given === 'unreadable') return 2;
  if (refuseInvalid(positional[0], loaded)) return 1;
  if (!design.nodes.some((n) => n.id === nodeId)) {
    writeErr(`${positional[0]}: no layer '${escapeControl(nodeId)}' in the design`);
    return 1;
  }

  const { CompileError, DEFAULT_MAC_BUDGET } = await import('../../drivers/compile/index.ts');
  const { failOnKernelErrors } = await import('../../drivers/compile/node-backend.ts');
  const { effectiveField } = await import('../../drivers/compile/erf.ts');
  const backend = await startBackend(backendName);
  if (backend === null) return 1;
  let result;
  try {
    // the seed's weights, or the model.json's loaded in their place, as `run` and `profile` compile
    const compiled = await (await import('./weights.ts')).compileWithWeights(design, { seed, macBudget: DEFAULT_MAC_BUDGET, backend }, given?.weights, given?.file);
    try {
      const shape = compiled.model.inputs[0].shape.slice(1) as number[];
      const input = image ? imageToInput(image, shape, DEFAULT_IMAGE_FIT) : randomInput(shape, seed);
      try {
        // a kernel XNNPACK cannot set up fails the command rather than giving a map of garbage
        result = await failOnKernelErrors(async () => effectiveField(compiled, nodeId, input));
      } finally {
        input.dispose();
      }
    } finally {
      compiled.model.dispose();
    }
  } catch (e) {
    const message = ((e as Error).message ?? String(e)).split('\n')[0];
    writeErr(`${positional[0]}: ${e instanceof CompileError ? 'cannot run' : 'cannot compute the gradient in tfjs'}: ${message}`);
    return 1;
  }

  if (options.json) {
    await writeJson(result);
    return 0;
  }
  const rf = result.theoretical;
  const lines = [
    `Layer: ${escapeControl(nodeId)}, unit (${result.unit[0]}, ${result.unit[1]}), summed over its channels`,
    `Weights: ${given ? escapeControl(given.file) : `random (seed ${seed})`}`,
    `Input: ${image ? `image ${escapeControl(String(options.image))}` : `random image (seed ${seed})`}`,
    `Theoretical field: ${rf ? formatPair(rf.size) : '—'}`,
    `Effective field: 90% of the gradient within ${result.radius90} pixel${result.radius90 === 1 ? '' : 's'} of the unit's centre (a ${2 * result.radius90 + 1}×${2 * result.radius90 + 1} square)`,
  ];
  // a readable picture of the map for an image up to 64 wide
  if (result.map[0] && result.map[0].length <= 64) {
    lines.push('Map (|gradient|, darkest = largest):');
    for (const row of result.map) lines.push('  ' + row.map((v) => SHADES[Math.min(SHADES.length - 1, Math.round(Math.sqrt(v) * (SHADES.length - 1)))]).join(''));
  }
  await writeOut(lines.join('\n') + '\n');
  return 0;
}
