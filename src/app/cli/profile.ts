/**
 * `convas profile FILE [--backend wasm|cpu] [--runs N] [--seed N] [--weights MODEL_JSON] [--json]`
 * (docs/command-line.md#profile): the time of every layer of the compiled design on this machine, layer by layer
 * (drivers/compile/profile.ts: warm-up, then N timed passes, medians), on the seed's weights (or `--weights`, read
 * as `run` reads them) and a seeded random image. `--json` prints the contract's `{ backend, runs, forwardMs,
 * nodes: [{ id, ms, macs }] }`; the table sorts the nodes by time, with MACs per millisecond, the group sums, the
 * pass timed as one `predict`, and the backend and processor.
 * Exit 0 ok; 1 invalid design or one tfjs cannot run; 2 a file that is not a design, or a bad option.
 */

import { cpus } from 'node:os';
import { escapeControl, formatCompact, formatInt, profileTable } from '../../engine/index.ts';
import { parseArgs, parseSeed, UsageError, writeErr, writeJson, writeOut } from './io.ts';
import { loadDesignFile, printable, tableLayout } from './summary.ts';
import { backendOption, refuseInvalid, startBackend, weightsOption } from './compute.ts';

/** The most timed passes `--runs` takes: a profile is a few medians, not a benchmark suite. */
export const MAX_RUNS = 100;

const round3 = (ms: number) => Math.round(ms * 1000) / 1000;

/** `--runs N`: a whole number from 1 to MAX_RUNS (default 5). */
export function parseRuns(value: string | boolean | undefined): number {
  if (value === undefined) return 5;
  const n = typeof value === 'string' && /^[0-9]{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_RUNS)) throw new UsageError(`--runs must be a whole number from 1 to ${MAX_RUNS}, got "${value === true ? '' : value}"`);
  return n;
}

export async function profileCommand(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv, { json: 'bool', backend: 'string', runs: 'string', seed: 'string', weights: 'string' });
  if (positional.length !== 1) throw new UsageError('profile takes exactly one FILE');
  const backendName = backendOption(options.backend);
  const runs = parseRuns(options.runs);
  const seed = parseSeed(options.seed);
  const loaded = await loadDesignFile(positional[0]);
  if (!loaded) return 2;
  const { analysis, design } = loaded;
  // --weights as `run` takes it: a trained model's weights, which can change a layer's time (zeros, denormals)
  const given = await weightsOption(options.weights);
  if (given === 'unreadable') return 2;
  const weightsFile = given?.file;
  const weights = given?.weights;
  if (refuseInvalid(positional[0], loaded)) return 1;

  // Loaded only now: tfjs is heavy, and a file that is not a design never pays for it.
  const { CompileError, DEFAULT_MAC_BUDGET, tf } = await import('../../drivers/compile/index.ts');
  const { failOnKernelErrors, KernelError } = await import('../../drivers/compile/node-backend.ts');
  const { profileCompiled, profileInputs } = await import('../../drivers/compile/profile.ts');
  const backend = await startBackend(backendName);
  if (backend === null) return 1;
  let profile;
  try {
    const compiled = await (await import('./weights.ts')).compileWithWeights(design, { seed, macBudget: DEFAULT_MAC_BUDGET, backend }, weights, weightsFile);
    const inputs = profileInputs(compiled, seed);
    try {
      profile = await failOnKernelErrors(() => profileCompiled(compiled, inputs, { runs }));
    } finally {
      tf.dispose(inputs);
      compiled.model.dispose();
    }
  } catch (e) {
    if (e instanceof CompileError || e instanceof KernelError) {
      writeErr(`${positional[0]}: cannot profile: ${e.message}`);
      return 1;
    }
    writeErr(`${positional[0]}: cannot run in tfjs: ${((e as Error).message ?? String(e)).split('\n')[0]}`);
    return 1;
  }

  if (options.json) {
    await writeJson({
      backend: profile.backend, runs: profile.runs, forwardMs: round3(profile.forwardMs),
      nodes: profile.nodes.map((n) => ({ id: n.id, ms: round3(n.ms), macs: n.macs })),
    });
    return 0;
  }
  const table = profileTable(design, profile.nodes);
  const rows = table.rows.map((r) => [
    printable(r.label), printable(r.kind), r.ms.toFixed(3), `${(100 * r.share).toFixed(1)}%`, formatInt(r.macs),
    r.macsPerMs === null ? '-' : formatInt(Math.round(r.macsPerMs)), '█'.repeat(Math.max(1, Math.round(30 * r.ms / table.rows[0].ms))),
  ]);
  const header = ['Layer', 'Kind', 'ms', 'Share', 'MACs', 'MACs/ms', ''];
  const { line, width } = tableLayout(header, rows, [false, false, true, true, true, true, false]);
  const cpu = cpus();
  const out = [
    `Design: ${escapeControl(design.name)}`,
    `Weights: ${weightsFile ? escapeControl(weightsFile) : `random (seed ${seed})`}`,
    `Backend: ${profile.backend} on ${cpu[0]?.model.trim() ?? 'an unknown processor'} (${cpu.length} logical cores), ${profile.runs} timed passes after ${profile.warmup} warm-up, medians`,
    '='.repeat(width), line(header), '='.repeat(width), ...rows.map(line), '='.repeat(width),
  ];
  if (table.groups.length) {
    out.push('Groups:');
    for (const g of table.groups) out.push(`  ${printable(g.label)}: ${g.ms.toFixed(3)} ms (${(100 * g.share).toFixed(1)}%), ${formatCompact(g.macs)}MACs`);
    out.push('-'.repeat(width));
  }
  out.push(
    `Layer by layer: ${profile.forwardMs.toFixed(1)} ms per pass (the layers' times add up to ${table.sumMs.toFixed(1)} ms)`,
    `One predict: ${profile.predictMs.toFixed(1)} ms per pass (no barrier between layers)`,
    `Total MACs: ${formatInt(analysis.totals.macs)}: ${formatInt(Math.round(analysis.totals.macs / profile.forwardMs))} MACs/ms`,
  );
  await writeOut(out.join('\n') + '\n');
  return 0;
}
