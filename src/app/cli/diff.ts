/**
 * `convas diff BEFORE AFTER [--json]` (docs/advice.md#comparison): what changed from one design to another, nodes matched
 * by id, totals AFTER − BEFORE. Exit 0, or 2 for a file that cannot be read or is not a design.
 */

import {
  diffDesigns, formatInt, formatPair, formatRfSize, formatShape, formatSignedInt, type DesignDiff, type DiffSide, type NodeDiff,
} from '../../engine/index.ts';
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

/** `old → new` where the two differ, else the one value; a side the layer is missing from shows only the other. */
function oldNew(n: NodeDiff, text: (s: DiffSide) => string): string {
  const b = n.before ? text(n.before) : null;
  const a = n.after ? text(n.after) : null;
  if (b === null) return a ?? '';
  if (a === null || a === b) return b;
  return `${b} → ${a}`;
}

/**
 * A setting's value as the inspector's field reads it: a square pair once (`3×3`), a shape with `×`, a whole number
 * with thousands separators, `yes`/`no`, and `—` where the kind on that side has no such setting.
 */
export function settingText(v: unknown): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return Number.isInteger(v) ? formatInt(v) : String(v);
  if (Array.isArray(v)) return v.length === 2 && v.every((x) => typeof x === 'number') ? formatPair(v as [number, number]) : v.map(settingText).join('×');
  if (typeof v === 'string') return printable(v);
  return printable(JSON.stringify(v));
}

/**
 * The comparison as a table: one row per added, removed or changed layer with its old → new figures and the
 * change, then what each changed layer's settings went from and to, then the totals old → new (change).
 * @example renderDiff(diff, 'one 5×5', 'two 3×3') // "… conv5x5  conv2d  removed  102,464  −102,464 … Total params: 137,248 → 16,320 (−120,928)"
 */
export function renderDiff(diff: DesignDiff, beforeName: string, afterName: string): string {
  const out = [`Before: ${printable(beforeName)}`, `After:  ${printable(afterName)}`];
  if (diff.nodes.length === 0) out.push('No layer changed.');
  else {
    const rows = diff.nodes.map((n) => [
      printable(n.id),
      printable(oldNew(n, (s) => s.kind)),
      n.change,
      oldNew(n, (s) => (s.outputShape ? formatInt(s.params) : '?')),
      signed(n.params),
      oldNew(n, (s) => (s.outputShape ? formatInt(s.macs) : '?')),
      signed(n.macs),
      oldNew(n, (s) => formatShape(s.outputShape)),
      oldNew(n, formatRfSize),
    ]);
    const header = ['Layer', 'Kind', 'Change', 'Params', 'Δ Params', 'MACs', 'Δ MACs', 'Output shape', 'RF'];
    const right = [false, false, false, true, true, true, true, false, false];
    const { line, width } = tableLayout(header, rows, right);
    const rule = '='.repeat(width);
    out.push(rule, line(header), rule);
    for (const r of rows) out.push(line(r)); // a loop: spreading 200,000 rows as arguments overflows the stack
    out.push(rule);
    const settings = diff.nodes.filter((n) => n.settings.length > 0);
    if (settings.length > 0) {
      out.push('Settings changed:');
      for (const n of settings) {
        out.push(`  ${printable(n.id)}: ${n.settings.map((s) => `${printable(s.label)} ${settingText(s.before)} → ${settingText(s.after)}`).join(', ')}`);
      }
    }
  }
  const b = diff.totalsBefore;
  const a = diff.totalsAfter;
  const total = (label: string, x: number, y: number) => `${label}: ${formatInt(x)} → ${formatInt(y)} (${signed(y - x)})`;
  out.push(total('Total params', b.params, a.params));
  out.push(total('Trainable params', b.trainableParams, a.trainableParams));
  out.push(total('Non-trainable params', b.nonTrainableParams, a.nonTrainableParams));
  out.push(total('Total MACs', b.macs, a.macs));
  return out.join('\n') + '\n';
}
