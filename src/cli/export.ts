/** `convas export FILE --to pytorch --out PATH`: writes the design as code another framework runs. */

import { writeFile } from 'node:fs/promises';
import { toPyTorch } from '../export/pytorch.ts';
import { parseArgs, UsageError, writeErr } from './io.ts';
import { loadDesignFile } from './summary.ts';

const FORMATS = ['pytorch'] as const;

export async function exportCommand(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv, { to: 'string', out: 'string' });
  if (positional.length !== 1) throw new UsageError('export takes exactly one FILE');
  const to = options.to;
  if (typeof to !== 'string' || !(FORMATS as readonly string[]).includes(to)) {
    throw new UsageError(`--to must be one of: ${FORMATS.join(', ')}${to ? ` (got "${to}")` : ''}`);
  }
  if (typeof options.out !== 'string') throw new UsageError('--out PATH is required');
  const loaded = await loadDesignFile(positional[0]);
  if (!loaded) return 2;
  if (!loaded.analysis.valid) {
    writeErr(`${positional[0]}: the design has ${loaded.analysis.errors.length} error(s); first: ${loaded.analysis.errors[0].message}`);
    return 1;
  }
  const code = toPyTorch(loaded.design, loaded.analysis);
  try {
    await writeFile(options.out, code);
  } catch (e) {
    writeErr(`cannot write ${options.out}: ${(e as Error).message}`);
    return 2;
  }
  process.stderr.write(`convas: wrote ${options.out} (PyTorch nn.Module, NCHW input)\n`);
  return 0;
}
