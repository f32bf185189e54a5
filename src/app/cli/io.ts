/**
 * Output helpers for the command line: never cut a large write short, never print a stack trace, and never let
 * a control character from a file (a name, a kind, a parse snippet) reach the terminal raw.
 */

import { DEFAULT_SEED } from '../../engine/initial-weights.ts';
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { escapeControl } from '../../contract/format.ts';

/**
 * Writes all of `text` to stdout, waiting for the pipe to drain (Node cuts stdout at exit otherwise). Lines are
 * kept; every control character inside a line is printed escaped (`\x1b`), so a name cannot move the cursor,
 * clear the screen or retitle the terminal.
 */
export function writeOut(text: string): Promise<void> {
  return writeRaw(text.split('\n').map(escapeControl).join('\n'));
}

/**
 * JSON on stdout. `JSON.stringify` escapes C0 controls but not DEL, C1 controls (8-bit CSI), line separators
 * or bidi overrides: those are written as `\u00XX` / `\uXXXX` escapes, which is the same JSON value.
 */
export function writeJson(value: unknown): Promise<void> {
  const text = JSON.stringify(value, null, 2);
  // each of those characters is DEL or above U+007F: a text of one UTF-8 byte per character without a DEL has none
  // (the usual case, and the cheap test on a multi-megabyte analysis)
  const plain = Buffer.byteLength(text, 'utf8') === text.length && !text.includes('\u007f');
  // the newline apart: joined to a multi-megabyte text it costs a copy of the whole text
  const escaped = plain ? text : text.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return Promise.all([writeRaw(escaped), writeRaw('\n')]).then(() => undefined);
}

/** The characters `writeJson` writes as escapes: DEL, C1 controls, line and paragraph separators, bidi controls, noncharacters. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g;

function writeRaw(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => {
      if (!err || readerGone(err)) resolve();
      else reject(new OutputError(`cannot write to standard output: ${err.message}`));
    });
  });
}

/** Standard output could not be written (a full disk, a closed descriptor): the command ends with exit code 2. */
export class OutputError extends Error {}

/**
 * The reader of standard output went away (`convas summary big.json --json | head`): no error of the command, which
 * stops writing and ends with its own exit code, as `cat` and `jq` do in a pipe.
 */
const readerGone = (e: NodeJS.ErrnoException) => e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED';

/**
 * Keeps a failed write to standard output from ending the process with Node's stack trace (an 'error' event
 * nobody listens to): a gone reader is quiet, any other failure reaches the command through its write (`OutputError`).
 * Called once, before a command runs.
 */
export function guardStdout(): void {
  // one listener of its own, whatever else listens (a stream piped into stdout adds one that rethrows when alone)
  if (!process.stdout.listeners('error').includes(ignoreStdoutError)) process.stdout.on('error', ignoreStdoutError);
}

function ignoreStdoutError(): void {}

/** One clear line on stderr, `convas: ` first; control characters (newlines too) are printed escaped. */
export function writeErr(line: string): void {
  process.stderr.write(`convas: ${escapeControl(line)}\n`);
}

/** A line on stderr without the `convas: ` prefix (a continuation, e.g. one error of a list), escaped alike. */
export function writeErrLine(line: string): void {
  process.stderr.write(`${escapeControl(line)}\n`);
}

export class UsageError extends Error {}

/**
 * Splits `argv` into positional arguments and `--flag value` / `--flag=value` / `--flag` options. A boolean
 * flag takes no value: `--json=false` is a usage error rather than a silent `--json`.
 */
export function parseArgs(
  argv: string[], spec: Record<string, 'bool' | 'string'>,
): { positional: string[]; options: Record<string, string | boolean> } {
  const positional: string[] = [];
  const options: Record<string, string | boolean> = Object.create(null);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const inline = eq < 0 ? undefined : a.slice(eq + 1);
      const type = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
      if (!type) throw new UsageError(`unknown option --${name}`);
      if (type === 'bool') {
        if (inline !== undefined) throw new UsageError(`--${name} takes no value (got "--${name}=${inline}"); leave it out to turn it off`);
        options[name] = true;
      } else {
        const v = inline ?? argv[++i];
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
        options[name] = v;
      }
    } else positional.push(a);
  }
  return { positional, options };
}

/**
 * The one `--seed` rule of every command: absent → `DEFAULT_SEED` (the editor's too); otherwise a whole number written in decimal digits with
 * an optional minus (`""`, `1e3`, `0x10`, `1.5` are refused), within ±(2^53 − 1).
 */
export function parseSeed(value: string | boolean | undefined): number {
  if (value === undefined) return DEFAULT_SEED;
  if (typeof value !== 'string' || !/^-?\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--seed must be a whole number, got "${value === true ? '' : value}"`);
  }
  return Number(value);
}

/**
 * Why a file or folder could not be written, in words, for `cannot write PATH: …`: permission denied (naming the
 * nearest existing folder that is not writable), a read-only file system, a file where a folder should be, a full
 * disk. Node's own text (`ENOENT: no such file or directory, mkdir …`) only where nothing better is known.
 */
export function writeProblem(path: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const existing = nearestExisting(path);
  const notWritable = existing && !canWrite(existing) ? existing : null;
  switch (err?.code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied${notWritable ? ` (${notWritable} is not writable)` : ''}`;
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENOTDIR':
    case 'EEXIST':
      return existing && !statSyncSafe(existing)?.isDirectory() ? `${existing} is a file, not a folder` : (err.message ?? String(e));
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOENT':
      if (notWritable) return `permission denied (${notWritable} is not writable)`;
      return `a folder on the way does not exist${existing ? ` (${existing} is the last one that does)` : ''}`;
    default:
      return err?.message ?? String(e);
  }
}

function statSyncSafe(p: string) {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

function nearestExisting(path: string): string | null {
  let p = resolve(path);
  for (;;) {
    if (statSyncSafe(p)) return p;
    const up = dirname(p);
    if (up === p) return null;
    p = up;
  }
}

function canWrite(p: string): boolean {
  try {
    accessSync(p, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
