/**
 * `npm run bench`: runs every benchmark and writes BENCHMARKS.md (machine, date, median and spread of
 * several runs, and each target met or not). Timings live here, never in tests.
 * `npm run bench -- analysis` runs one suite by name.
 */

import { writeFileSync } from 'node:fs';
import os from 'node:os';
import type { BenchResult } from './harness.ts';

interface Suite {
  name: string;
  title: string;
  run: () => Promise<BenchResult[]>;
}

const SUITES: Suite[] = [
  { name: 'analysis', title: 'Analysis (pure engine, Node)', run: async () => (await import('./analysis.ts')).benchAnalysis() },
  { name: 'forward', title: 'Compile and forward pass (tfjs, Node)', run: async () => (await import('./forward.ts')).benchForward() },
  { name: 'cli', title: 'Command line per process (built and from source) against the hooked-forward method', run: async () => (await import('./cli.ts')).benchCli() },
  { name: 'onnx-import', title: 'ONNX import of ResNet-50 (command line, per process)', run: async () => (await import('./onnx-import.ts')).benchOnnxImport() },
  { name: 'erf', title: 'Effective receptive field (command line, per process)', run: async () => (await import('./erf.ts')).benchErf() },
  { name: 'profile', title: 'Profile and peak memory (tfjs wasm, Node)', run: async () => (await import('./cli.ts')).benchProfile() },
  { name: 'browser-forward', title: 'Compile and forward pass (tfjs, headless Chromium)', run: async () => (await import('./browser-forward.ts')).benchBrowserForward() },
  { name: 'browser-threads', title: 'Threads: ResNet-50 forward, threaded vs single-threaded wasm (headless Chromium)', run: async () => (await import('./browser-threads.ts')).benchBrowserThreads() },
  { name: 'editor', title: 'Editor (Playwright, headless Chromium)', run: async () => (await import('./editor.ts')).benchEditor() },
  { name: 'onnx-open', title: 'Opening an ONNX model in the editor (Playwright, headless Chromium)', run: async () => (await import('./onnx-open.ts')).benchOnnxOpen() },
];

const fmt = (v: number, unit: string) =>
  Number.isNaN(v) ? '–' : unit === 'ratio' ? v.toFixed(3) : unit === 'ms' ? (v < 10 ? v.toFixed(2) : v.toFixed(1)) : v.toFixed(1);

function table(results: BenchResult[]): string {
  const rows = results.map((r) => {
    const unit = r.unit === 'ratio' || !r.runs.length ? '' : ` ${r.unit}`;
    const met = r.met === undefined ? '' : r.met ? 'met' : '**missed**';
    return `| ${r.name} | ${fmt(r.median, r.unit)}${unit} | ${r.runs.length ? `${fmt(r.spread[0], r.unit)} – ${fmt(r.spread[1], r.unit)}` : '–'} | ${r.runs.length} | ${r.target ?? ''} | ${met} | ${r.note ?? ''} |`;
  });
  return ['| benchmark | median | p10 – p90 | runs | target | | note |', '|---|---:|---:|---:|---|---|---|', ...rows].join('\n');
}

async function main() {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const sections: string[] = [];
  let missed = 0;
  for (const suite of SUITES) {
    if (only.length && !only.includes(suite.name)) continue;
    process.stderr.write(`bench: ${suite.name}…\n`);
    try {
      const results = await suite.run();
      for (const r of results) {
        const value = r.runs.length ? `${fmt(r.median, r.unit)} ${r.unit === 'ratio' ? '' : r.unit}` : `– (${r.note ?? 'no runs'})`;
        process.stderr.write(`  ${r.name}: ${value}${r.target ? ` (target ${r.target}: ${r.met ? 'met' : 'MISSED'})` : ''}\n`);
        if (r.met === false) missed++;
      }
      sections.push(`## ${suite.title}\n\n${table(results)}\n`);
    } catch (e) {
      const message = (e as Error).message ?? String(e);
      process.stderr.write(`  ${suite.name} could not run: ${message}\n`);
      sections.push(`## ${suite.title}\n\nCould not run here: ${message}\n`);
    }
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}.`,
    'Each row is the median of several runs after warm-up; p10 – p90 is the spread. Ratios are measured side by side in one run.',
    '',
  ].join('\n');
  const file = only.length ? `BENCHMARKS.${only.join('-')}.md` : 'BENCHMARKS.md';
  writeFileSync(file, `${header}\n${sections.join('\n')}`);
  process.stderr.write(`bench: wrote ${file}${missed ? ` (${missed} target${missed > 1 ? 's' : ''} missed)` : ''}\n`);
}

await main();
