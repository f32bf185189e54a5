// Builds the `convas` command into dist-cli/ (run by `npm ci` and `npm install` through the `prepare` script): one
// ES module per lazily loaded command, so `convas --help` and `summary` start without tsx compiling TypeScript
// and without loading tfjs. Packages stay external (tfjs, pngjs, zod… load from node_modules as before).
// dist-cli/inputs.json lists the sources with their sizes and mtimes: bin/convas.js runs the sources through tsx
// instead whenever one of them changed since, so an edit is never hidden behind a stale build.
/* global process */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist-cli');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: [join(root, 'src/app/cli/main.ts')],
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  metafile: true,
  logLevel: 'warning',
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
});
// Files the commands read beside their own code (`new URL('./x', import.meta.url)`): a bundled chunk resolves them
// next to itself, so each is copied beside the entry and the chunks, and listed with the inputs.
const ASSETS = ['src/drivers/compile/convas-tfjs-layers.js'];
mkdirSync(join(out, 'chunks'), { recursive: true });
for (const asset of ASSETS) {
  for (const dir of [out, join(out, 'chunks')]) copyFileSync(join(root, asset), join(dir, basename(asset)));
}
const inputs = [...Object.keys(result.metafile.inputs), ...ASSETS].map((p) => {
  const s = statSync(join(root, p));
  return [p, s.mtimeMs, s.size];
});
writeFileSync(join(out, 'inputs.json'), JSON.stringify(inputs));
