/**
 * What the commands that compute with tfjs (`run`, `profile`, `erf`) share before they compile: refusing an invalid
 * design, reading `--weights`, starting the Node backend. Each writes its one message on stderr and tells the
 * command to stop; the command chooses its exit status. tfjs and the weights reader load only when asked for.
 */

import { formatError, type Analysis, type Design } from '../../engine/index.ts';
import type { LoadedWeights } from '../../drivers/compile/model-json.ts';
import { UsageError, writeErr, writeErrLine } from './io.ts';

/**
 * True, after "FILE: invalid design (N errors)" and the first 20 errors on stderr, where the analysis found errors
 * (the command then exits 1); false for a design that compiles.
 */
export function refuseInvalid(file: string, { analysis, design }: { analysis: Analysis; design: Design }): boolean {
  if (analysis.valid) return false;
  writeErr(`${file}: invalid design (${analysis.errors.length} error${analysis.errors.length === 1 ? '' : 's'})`);
  for (const e of analysis.errors.slice(0, 20)) writeErrLine(`  ${formatError(e, design)}`);
  return true;
}

/**
 * `--weights MODEL_JSON` (docs/command-line.md#weights): null without the option; the model.json's path and its
 * weights (weights.ts's `readWeightsArg`); `'unreadable'` after the reader's one line on stderr (exit 2).
 * @throws UsageError for `--weights` given without a file
 */
export async function weightsOption(value: string | boolean | undefined): Promise<{ file: string; weights: LoadedWeights } | null | 'unreadable'> {
  if (value === true) throw new UsageError('--weights needs a tfjs model.json');
  if (typeof value !== 'string') return null;
  const { readWeightsArg } = await import('./weights.ts');
  try {
    return { file: value, weights: await readWeightsArg(value) };
  } catch (e) {
    writeErr((e as Error).message);
    return 'unreadable';
  }
}

/**
 * `--backend wasm|cpu` (wasm when not given).
 * @throws UsageError for any other value
 */
export function backendOption(value: string | boolean | undefined): 'wasm' | 'cpu' {
  const name = value ?? 'wasm';
  if (name !== 'wasm' && name !== 'cpu') throw new UsageError(`--backend must be wasm or cpu, got "${name}"`);
  return name;
}

/** Starts tfjs's `name` backend in Node; its name as tfjs gives it, or null after a line on stderr (exit 1). */
export async function startBackend(name: 'wasm' | 'cpu'): Promise<string | null> {
  const { setupNodeBackend } = await import('../../drivers/compile/node-backend.ts');
  try {
    return await setupNodeBackend(name);
  } catch (e) {
    writeErr(`cannot start the ${name} backend: ${(e as Error).message}`);
    return null;
  }
}
