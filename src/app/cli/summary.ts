/**
 * `convas summary FILE [--json] [--batch N]`: a Keras-like table of the analysis with the memory figures and the
 * advice under it, or the analysis itself as JSON (docs/analysis.md#summary-json: with `outputBytes`, `totals.memory`, `advice`).
 */

import { readFile } from 'node:fs/promises';
import {
  adviseDetailed, analysisReport, analyzeText, escapeControl, FIELD_LARGER_THAN_INPUT, fieldLargerThanInput, formatBytes, formatError, formatCompact, formatInt, formatShape, formatStridePair, formatWeightSizes, isBatchSize, paramTotalLines,
} from '../../engine/index.ts';
import { paddingNotes } from '../../engine/padding-note.ts';
import { bySaving } from '../../engine/advice-order.ts';
import type { AdviceDetail, AnalysisReport, NodeAnalysis } from '../../engine/index.ts';
import { parseArgs, UsageError, writeErr, writeJson, writeOut } from './io.ts';

/** Reads a design file; `null` (after one line on stderr) when it cannot be read or is not a design. */
export async function loadDesignFile(file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    writeErr(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`);
    return null;
  }
  const result = analyzeText(text);
  if (!result.ok) {
    writeErr(`${file}: ${result.error}`);
    return null;
  }
  return result;
}

/** `--batch N`: a positive whole number (default 1), else a usage error. */
export function parseBatch(value: string | boolean | undefined): number {
  if (value === undefined) return 1;
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!isBatchSize(n)) throw new UsageError(`--batch must be a positive whole number, got ${JSON.stringify(value)}`);
  return n;
}

export async function summaryCommand(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv, { json: 'bool', batch: 'string' });
  if (positional.length !== 1) throw new UsageError('summary takes exactly one FILE');
  const batch = parseBatch(options.batch);
  const loaded = await loadDesignFile(positional[0]);
  if (!loaded) return 2;
  const { analysis, design } = loaded;
  const detailed = adviseDetailed(design, analysis);
  const report = analysisReport(design, analysis, batch, detailed);
  await (options.json ? writeJson(report) : writeOut(renderTable(report, detailed, paddingNotes(design, analysis.nodes))));
  return analysis.valid ? 0 : 1;
}

function rfText(n: NodeAnalysis): string {
  const rf = n.receptiveField;
  if (!rf) return n.outputShape ? '-' : '?';
  const size = rf.size[0] === rf.size[1] ? `${rf.size[0]}×${rf.size[0]}` : `${rf.size[0]}×${rf.size[1]}`;
  return `${size} /${formatStridePair(rf.stride)}${rf.global ? ' + global' : ''}`;
}

const ellipsize = (s: string, max: number) => (s.length > max ? s.slice(0, max - 1) + '…' : s);
/**
 * Each column's width: the longest of its header and cells. A loop, not `Math.max(...rows)`: spreading
 * 200,000 rows as arguments overflows the stack.
 */
export function columnWidths(header: string[], rows: string[][]): number[] {
  const widths = header.map((h) => h.length);
  for (const r of rows) for (let i = 0; i < r.length; i++) if (r[i].length > widths[i]) widths[i] = r[i].length;
  return widths;
}

/**
 * A text table's layout: `line` pads a row's cells to the column widths (right-aligned where `right[i]`, two
 * spaces between), `width` is a full line's width (for the rules above and below).
 */
export function tableLayout(header: string[], rows: string[][], right: boolean[]): { line: (cells: string[]) => string; width: number } {
  const widths = columnWidths(header, rows);
  const line = (cells: string[]) => cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return { line, width: widths.reduce((s, w) => s + w, 0) + 2 * (widths.length - 1) };
}

// Names and kinds are free text: control characters are shown escaped, never sent to the terminal.
export const printable = escapeControl;

/**
 * The Keras `model.summary()`-like table, then the advice and `warnings` (by node id: the sentences the editor shows on
 * a node, such as a window mostly padding, engine/padding-note.ts).
 * @example renderTable(analyze(vgg16)) // "Layer (kind) … Total params: 138,357,544 (553.43 MB)"
 */
export function renderTable(a: Omit<AnalysisReport, 'advice'>, advice: AdviceDetail[] = [], warnings: ReadonlyMap<string, string> = new Map()): string {
  const known = (n: NodeAnalysis, v: number) => (n.outputShape ? formatInt(v) : '?');
  const rows = a.nodes.map((n) => [
    ellipsize(printable(n.name ?? n.id), 36),
    printable(n.kind),
    formatShape(n.outputShape),
    known(n, n.params),
    known(n, n.macs),
    rfText(n) + (fieldLargerThanInput(n, a.nodes) ? ' *' : ''),
    n.outputShape ? formatBytes(n.outputBytes) : '?',
  ]);
  const anyLarger = a.nodes.some((n) => fieldLargerThanInput(n, a.nodes));
  const header = ['Layer', 'Kind', 'Output shape', 'Params', 'MACs', 'Receptive field', 'Output size'];
  const right = [false, false, false, true, true, false, true];
  const { line, width } = tableLayout(header, rows, right);
  const heavy = '='.repeat(width);
  const thin = '-'.repeat(width);

  const out: string[] = [];
  out.push(`Design: ${printable(a.name)}`);
  out.push(heavy, line(header), heavy);
  for (const r of rows) out.push(line(r));
  out.push(heavy);
  if (anyLarger) out.push(`* receptive field ${FIELD_LARGER_THAN_INPUT}`);

  if (a.groups.length) {
    out.push('Groups:');
    const gRows = a.groups.map((g) => [ellipsize(printable(g.label ?? g.id), 36), printable(g.kind ?? ''), `${g.nodeCount} layers`, formatInt(g.params), formatInt(g.macs)]);
    const gw = columnWidths(['', '', '', '', ''], gRows);
    for (const r of gRows) {
      out.push(`  ${r[0].padEnd(gw[0])}  ${r[1].padEnd(gw[1])}  ${r[2].padStart(gw[2])}  params ${r[3].padStart(gw[3])}  MACs ${r[4].padStart(gw[4])}`);
    }
    out.push(thin);
  }

  const t = a.totals;
  // the count in the student's notes first where batch-norm statistics make two (engine/param-headline.ts)
  for (const l of paramTotalLines(t)) out.push(l.note ? `${l.text}, ${l.note}` : l.text);
  out.push(`Total MACs: ${formatInt(t.macs)}${t.macs >= 1000 ? ` (${formatCompact(t.macs)}MACs)` : ''}`);
  const m = a.totals.memory;
  const bytes = (b: number) => `${formatBytes(b)} (${formatInt(b)} bytes)`;
  out.push(thin);
  out.push(`Memory, batch size ${m.batch} (float32, torchinfo's rules):`);
  out.push(`  Input size: ${bytes(m.inputBytes)}`);
  out.push(`  Params size: ${bytes(m.paramBytes)}`);
  out.push(`  Forward/backward pass size: ${bytes(m.forwardBackwardBytes)}`);
  out.push(`  Estimated total size: ${bytes(m.estimatedTotalBytes)}`);
  out.push(`  Training with Adam (+ gradients and two moments): ${bytes(m.trainingBytes)}`);
  const peakAt = m.peakNodeId === null ? '' : ` at ${printable(a.nodes.find((n) => n.id === m.peakNodeId)?.name ?? m.peakNodeId)}`;
  out.push(`  Inference peak (tensors alive at once, layers in design order): ${bytes(m.inferencePeakBytes)}${peakAt}`);
  out.push(`  Weights: ${formatWeightSizes(m.paramBytes, m)} (int8: a float32 scale per output channel; docs/analysis.md)`);
  if (warnings.size) {
    // not errors and not contract fields (summary --json leaves them out): what the editor says on the node
    out.push(thin);
    out.push(`Warnings (${warnings.size}):`);
    for (const [id, text] of warnings) out.push(`  ${printable(a.nodes.find((n) => n.id === id)?.name ?? id)}: ${printable(text)}`);
  }
  if (advice.length) {
    out.push(thin);
    out.push(`Advice (${advice.length}):`);
    const names = new Map<string, string>();
    for (const n of a.nodes) if (n.name !== undefined && !names.has(n.id)) names.set(n.id, n.name);
    // the largest saving first, as the Advice tab lists it (the JSON keeps the contract's order)
    for (const item of bySaving(advice)) {
      const who = printable(names.get(item.nodeId) ?? item.nodeId);
      out.push(`  [${item.rule}] ${who}: ${printable(item.lesson)}`);
      if (item.saving) out.push(`      ${item.saving}`);
    }
  }
  if (!a.valid) {
    out.push(thin);
    out.push(`${a.errors.length} error${a.errors.length === 1 ? '' : 's'}:`);
    for (const e of a.errors) out.push(`  - ${printable(formatError(e, a))}`);
  }
  return out.join('\n') + '\n';
}
