/**
 * `convas` command line (docs/command-line.md). Exit codes: 0 valid design, 1 invalid design or a design that cannot
 * run, 2 a file that cannot be read or is not a design (and usage errors).
 */

import { guardStdout, OutputError, UsageError, writeErr } from './io.ts';

const USAGE = `usage:
  convas summary FILE [--json] [--batch N]
  convas diff BEFORE AFTER [--json]
  convas run FILE [--image PNG_OR_JPEG] [--fit crop|stretch] [--backend wasm|cpu] [--seed N] [--weights MODEL_JSON] [--max-gmacs N] [--json]
  convas profile FILE [--backend wasm|cpu] [--runs N] [--seed N] [--weights MODEL_JSON] [--json]
  convas erf FILE --node ID [--image PNG_OR_JPEG] [--seed N] [--weights MODEL_JSON] [--backend wasm|cpu] [--json]
  convas export FILE --to pytorch --out PATH [--weights] [--seed N | --weights-from MODEL_JSON]
  convas export FILE --to onnx --out model.onnx [--weights] [--seed N | --weights-from MODEL_JSON]
  convas export FILE --to tfjs --out DIR [--seed N | --weights-from MODEL_JSON]
  convas export FILE --to svg --out PATH
  convas export FILE --to png --out PATH [--scale N]
  convas import MODEL_JSON --out FILE
  convas import MODEL.onnx --out FILE [--weights-out DIR]
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  guardStdout();
  // `convas export --help`: that command's usage lines, on stdout, as a success
  if ((rest.includes('--help') || rest.includes('-h')) && USAGE.includes(`convas ${command} `)) {
    process.stdout.write(['usage:', ...USAGE.split('\n').filter((l) => l.startsWith(`  convas ${command} `)), ''].join('\n'));
    return 0;
  }
  try {
    switch (command) {
      case 'summary':
        return await (await import('./summary.ts')).summaryCommand(rest);
      case 'diff':
        return await (await import('./diff.ts')).diffCommand(rest);
      case 'run':
        // Loaded lazily: only `run` pays for tfjs.
        return await (await import('./run.ts')).runCommand(rest);
      case 'erf':
        return await (await import('./erf.ts')).erfCommand(rest);
      case 'profile':
        return await (await import('./profile.ts')).profileCommand(rest);
      case 'export':
        return await (await import('./export.ts')).exportCommand(rest);
      case 'import':
        return await (await import('./import.ts')).importCommand(rest);
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE);
        return 0;
      default:
        writeErr(command ? `unknown command "${command}"` : 'no command given');
        process.stderr.write(USAGE);
        return 2;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      writeErr(e.message);
      process.stderr.write(USAGE);
      return 2;
    }
    if (e instanceof OutputError) {
      writeErr(e.message);
      return 2;
    }
    writeErr(`internal error: ${(e as Error)?.message ?? String(e)}`);
    return 2;
  }
}
