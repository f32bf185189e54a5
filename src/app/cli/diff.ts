/**
 * `convas diff BEFORE AFTER [--json]` (docs/advice.md#comparison): what changed from one design to another, nodes matched
 * by id, totals AFTER − BEFORE. Exit 0, or 2 for a file that cannot be read or is not a design.
 */

import { diffDesigns, formatShape, formatSignedInt, type DesignDiff } from '../../engine/index.ts';
import { parseArgs, UsageError, writeOut } from './io.ts';
import { loadDesignFile, printable, tableLayout } from './summary.ts';

const signed = formatSignedInt;

export async function diffCommand(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv, { json: 'bool' });
  if (positional.length !== 2) throw new UsageError('diff takes two files: BEFORE AFTER');
  const before = await loadDesignFile(positional[0]);
  if (!before) return 2;
  const after = await loadDesignFile(positional[1]);
  if (!after) return 2;
  const diff = diffDesigns(before.design, before.analysis, after.design, after.analysis);
  await writeOut(options.json ? JSON.stringify(diff, null, 2) + '\n' : renderDiff(diff, before.design.name, after.design.name));
  return 0;
}

/**
 * The comparison as a table: one row per added, removed or changed layer, then the total changes.
 * @example renderDiff(diff, 'one 5×5', 'two 3×3') // "… conv5x5  changed  −28,608 … Total params: −28,608"
 */
export function renderDiff(diff: DesignDiff, beforeName: string, afterName: string): string {
  const out = [`Before: ${printable(beforeName)}`, `After:  ${printable(afterName)}`];
  if (diff.nodes.length === 0) out.push('No layer changed.');
  else {
    const rows = diff.nodes.map((n) => [printable(n.id), n.change, signed(n.params), signed(n.macs), n.change === 'removed' ? '-' : formatShape(n.outputShape)]);
    const header = ['Layer', 'Change', 'Δ Params', 'Δ MACs', 'Output shape'];
    const right = [false, false, true, true, false];
    const { line, width } = tableLayout(header, rows, right);
    const rule = '='.repeat(width);
    out.push(rule, line(header), rule);
    for (const r of rows) out.push(line(r)); // a loop: spreading 200,000 rows as arguments overflows the stack
    out.push(rule);
  }
  const t = diff.totals;
  out.push(`Total params: ${signed(t.params)}`);
  out.push(`Trainable params: ${signed(t.trainableParams)}`);
  out.push(`Non-trainable params: ${signed(t.nonTrainableParams)}`);
  out.push(`Total MACs: ${signed(t.macs)}`);
  return out.join('\n') + '\n';
}
