/**
 * `convas erf` on VGG-16's block3_conv3 (its centre unit's gradient with respect to a 224×224 image), per process
 * through the built command: on tfjs's cpu backend, erf's backend before December 2026 (`--backend cpu`), and on
 * wasm, its default since (docs/command-line.md#erf). The two maps are compared in the note (cosine, radius90).
 */

import { spawnSync } from 'node:child_process';
import { summarize, type BenchResult } from './harness.ts';

const ARGS = ['bin/convas.js', 'erf', 'presets/vgg16.convas.json', '--node', 'block3_conv3', '--seed', '1', '--json'];

interface Field { map: number[][]; radius90: number }

function timed(backend: 'cpu' | 'wasm', runs: number): { ms: number[]; field: Field } {
  const ms: number[] = [];
  let field: Field | null = null;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync('node', [...ARGS, '--backend', backend], { encoding: 'utf8', maxBuffer: 1 << 28 });
    ms.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`convas erf --backend ${backend} failed: ${r.stderr}`);
    field = JSON.parse(r.stdout) as Field;
  }
  return { ms, field: field! };
}

export async function benchErf(): Promise<BenchResult[]> {
  spawnSync('node', ['scripts/build-cli.mjs'], { stdio: 'inherit' });
  // the cpu backend takes minutes: one run
  const cpu = timed('cpu', 1);
  const wasm = timed('wasm', 3);
  let ab = 0, aa = 0, bb = 0;
  cpu.field.map.forEach((row, i) => row.forEach((v, j) => { const w = wasm.field.map[i][j]; ab += v * w; aa += v * v; bb += w * w; }));
  const cosine = ab / Math.sqrt(aa * bb);
  return [
    summarize('convas erf vgg16 block3_conv3, cpu backend (before: erf\'s backend until Dec 2026)', cpu.ms, 'ms', undefined, `radius90 ${cpu.field.radius90}`),
    summarize('convas erf vgg16 block3_conv3, wasm backend (now the default)', wasm.ms, 'ms', undefined,
      `radius90 ${wasm.field.radius90}; map cosine to cpu's ${cosine.toFixed(7)}; cpu ÷ wasm ${(cpu.ms[0] / summarize('', wasm.ms, 'ms').median).toFixed(1)}×`),
  ];
}
