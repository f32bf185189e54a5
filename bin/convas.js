#!/usr/bin/env node
// The `convas` command. `npm ci` builds it into dist-cli/ (scripts/build-cli.mjs), which starts at once; where that
// build is missing, CONVAS_FROM_SOURCE is set, or a source it was built from changed since (size or mtime), tsx
// compiles the TypeScript sources on the fly instead, so the command never runs stale code.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url);

function builtIsCurrent() {
  if (process.env.CONVAS_FROM_SOURCE) return false;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(new URL('dist-cli/inputs.json', root), 'utf8'));
  } catch {
    return false;
  }
  for (const [path, mtime, size] of inputs) {
    const s = statSync(new URL(path, root), { throwIfNoEntry: false });
    if (!s || s.mtimeMs !== mtime || s.size !== size) return false;
  }
  return true;
}

let main;
if (builtIsCurrent()) {
  ({ main } = await import('../dist-cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/app/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
