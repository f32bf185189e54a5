import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, type Design, type Shape } from '../core/index.ts';
import { everyKind } from './every-kind.ts';
import { toOnnx } from './onnx.ts';

const PYTHON = process.env.CONVAS_TORCH_PYTHON ?? '/usr/bin/python3';
const hasOnnx = spawnSync(PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0;
if (!hasOnnx) {
  console.warn(`\n*** SKIPPING the ONNX export checks: ${PYTHON} cannot import onnx (pip install onnx).\n`);
}

const nchw = (s: Shape) => (s.length === 3 ? [s[2], s[0], s[1]] : [...s]);

describe('ONNX export', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const d = everyKind();
    expect(Buffer.from(toOnnx(d, { seed: 1 })).equals(Buffer.from(toOnnx(d, { seed: 1 })))).toBe(true);
    expect(Buffer.from(toOnnx(d, { seed: 1 })).equals(Buffer.from(toOnnx(d, { seed: 2 })))).toBe(false);
  });

  it.skipIf(!hasOnnx)('every preset and every kind: onnx.checker (full check) passes and shape inference gives the analysed outputs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convas-onnx-'));
    const designs: [string, Design][] = [
      ...readdirSync('presets').filter((f) => f.endsWith('.convas.json'))
        .map((f) => [f.replace('.convas.json', ''), JSON.parse(readFileSync(join('presets', f), 'utf8')) as Design] as [string, Design]),
      ['every-kind', everyKind()],
    ];
    const manifest = designs.map(([key, design]) => {
      const a = analyze(design);
      const file = join(dir, `${key}.onnx`);
      writeFileSync(file, toOnnx(design, { seed: 1, analysis: a }));
      const hasOut = new Set(design.edges.map((e) => e.source));
      return { file, outputs: design.nodes.filter((n) => !hasOut.has(n.id)).map((n) => nchw(a.nodes.find((x) => x.id === n.id)!.outputShape!)) };
    });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const out = execFileSync(PYTHON, ['scripts/check_onnx.py', join(dir, 'manifest.json')], { encoding: 'utf8', timeout: 170_000 });
    const results = out.trim().split('\n').map((l) => JSON.parse(l) as { file: string; error: string | null; shapes: unknown });
    expect(results).toHaveLength(manifest.length);
    for (const [i, r] of results.entries()) {
      expect({ file: r.file, error: r.error, shapes: r.shapes }).toEqual({ file: manifest[i].file, error: null, shapes: manifest[i].outputs });
    }
  }, 180_000);
});
