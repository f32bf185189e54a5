/** Output helpers for the command line: never cut a large write short, never print a stack trace. */

/** Writes all of `text` to stdout, waiting for the pipe to drain (Node cuts stdout at exit otherwise). */
export function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

/** One clear line on stderr. */
export function writeErr(line: string): void {
  process.stderr.write(`convas: ${line}\n`);
}

export class UsageError extends Error {}

/** Splits `argv` into positional arguments and `--flag value` / `--flag` options. */
export function parseArgs(
  argv: string[], spec: Record<string, 'bool' | 'string'>,
): { positional: string[]; options: Record<string, string | boolean> } {
  const positional: string[] = [];
  const options: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
      const type = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
      if (!type) throw new UsageError(`unknown option --${name}`);
      if (type === 'bool') options[name] = true;
      else {
        const v = inline ?? argv[++i];
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
        options[name] = v;
      }
    } else positional.push(a);
  }
  return { positional, options };
}
