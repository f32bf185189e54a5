/**
 * Writes the committed preset files `presets/<name>.convas.json` from the builders in `presets/build/`.
 * Usage: `npm run presets` (write) or `npm run presets -- --check` (exit 1 if a committed file is stale).
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/engine/index.ts';
import { PRESET_BUILDERS, renderPresets } from '../presets/build/index.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'presets');
const check = process.argv.includes('--check');
let stale = 0;

for (const [file, text] of Object.entries(renderPresets())) {
  const analysis = analyze(PRESET_BUILDERS[file]());
  if (!analysis.valid) {
    console.error(`${file}: the design does not analyse cleanly:\n  ${analysis.errors.map((e) => e.message).join('\n  ')}`);
    process.exit(1);
  }
  const path = join(dir, file);
  let old: string | null;
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    old = null;
  }
  if (old === text) continue;
  if (check) {
    console.error(`${file} is out of date; run npm run presets`);
    stale++;
  } else {
    writeFileSync(path, text);
    const t = analysis.totals;
    console.log(`wrote presets/${file}: ${analysis.nodes.length} nodes, ${t.trainableParams.toLocaleString('en')} trainable params, ${t.macs.toLocaleString('en')} MACs`);
  }
}
if (stale) process.exit(1);
