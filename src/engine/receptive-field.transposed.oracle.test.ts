/**
 * The receptive fields of `conv2dTranspose` (docs/receptive-field.md#units-that-see-nothing) against PyTorch: designs of
 * transposed convolutions with every kind of crop (`valid`, `same` with k < s, k = s and k > s, k − s odd and even,
 * explicit crops with output padding), in chains with strided convolutions before and after, and merged with `add`
 * and `concat`, are built and measured by scripts/measure_rf.py, which back-propagates from every unit of a block
 * from the centre at least one period wide (`--units`), and reports the input rows and columns each one reaches.
 * Every unit whose analysed window lies inside the image must reach exactly that window; every unit the analysis
 * says sees nothing (a phase of a kernel smaller than its stride) must reach no pixel at all.
 * Needs /usr/bin/python3 with torch (`itWithPython`: in CI its absence fails the test).
 */

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { itWithPython, PYTHON } from '../../test/support/python.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import { analyze } from './analyze.ts';
import { unitWindow } from './receptive-field.ts';
import type { Design } from '../contract/types.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Params = Record<string, unknown>;
type Measured = Record<string, [number, number, number, number, number, number][]>;

/** `in` [h, w, 1] → each layer in turn. */
function chain(name: string, layers: [string, Params][], shape: [number, number] = [10, 10]): Design {
  const b = new DesignBuilder(name);
  b.input([shape[0], shape[1], 1]);
  layers.forEach(([kind, params], i) => b.add(kind, { ...params }, b.last, `${kind}${i}`));
  return b.design();
}

const T = 'conv2dTranspose';

/** Chosen cases: every crop rule, k against s both ways, output padding, strided convolutions around, merges. */
function chosen(): Design[] {
  const designs: Design[] = [];
  for (const [k, s] of [[1, 2], [2, 2], [3, 2], [4, 2], [5, 2], [1, 3], [2, 3], [3, 3], [4, 3], [6, 3], [3, [2, 3]]] as const) {
    for (const padding of ['valid', 'same', 1] as const) {
      const sMax = typeof s === 'number' ? s : Math.min(...s);
      const ops = padding === 'same' ? [0] : [0, sMax - 1];
      for (const op of ops) designs.push(chain(`k${k} s${s} ${padding} op${op}`, [[T, { filters: 1, kernelSize: k, strides: s, padding, outputPadding: op }]]));
    }
  }
  // a strided conv before and after: the periods of the two meet
  designs.push(chain('conv /2 → convT 3 /2', [['conv2d', { filters: 2, kernelSize: 3, strides: 2, padding: 'same' }], [T, { filters: 2, kernelSize: 3, strides: 2, padding: 1, outputPadding: 1 }]], [16, 16]));
  designs.push(chain('convT 4 /2 → conv 3 /3', [[T, { filters: 2, kernelSize: 4, strides: 2, padding: 1 }], ['conv2d', { filters: 1, kernelSize: 3, strides: 3 }]]));
  designs.push(chain('convT 1 /2 → conv 3 (fills the holes)', [[T, { filters: 2, kernelSize: 1, strides: 2 }], ['conv2d', { filters: 1, kernelSize: 3, padding: 'same' }]]));
  designs.push(chain('convT 2 /3 same → convT 3 /2', [[T, { filters: 2, kernelSize: 2, strides: 3, padding: 'same' }], [T, { filters: 1, kernelSize: 3, strides: 2, padding: 'same' }]], [6, 6]));
  // every unit of the 1×1 conv reads an odd unit of the k = 1, s = 2 map: it sees nothing at all
  designs.push(chain('convT 1 /2 → pad → conv 1 /2 (sees nothing)', [[T, { filters: 1, kernelSize: 1, strides: 2 }], ['zeroPad2d', { padding: 1 }], ['conv2d', { filters: 1, kernelSize: 1, strides: 2 }]]));
  // merges of transposed paths with one stride: unit by unit unions, holes on one path filled by the other
  const b = new DesignBuilder('add of convT 4 /2 p1 and convT 1 /2 op1, concat with convT 3 /2 same');
  b.input([10, 10, 1]);
  b.add(T, { filters: 1, kernelSize: 4, strides: 2, padding: 1 }, 'in', 'wide');
  b.add(T, { filters: 1, kernelSize: 1, strides: 2, outputPadding: 1 }, 'in', 'sparse');
  b.add('add', {}, ['wide', 'sparse'], 'sum');
  b.add(T, { filters: 1, kernelSize: 3, strides: 2, padding: 'same' }, 'in', 'odd');
  b.add('concat', {}, ['sum', 'odd'], 'cat');
  b.add('conv2d', { filters: 1, kernelSize: 3, padding: 'same' }, 'cat', 'after');
  designs.push(b.design());
  const holes = new DesignBuilder('concat of two k < s paths: some units see nothing on both');
  holes.input([8, 8, 1]);
  holes.add(T, { filters: 1, kernelSize: 1, strides: 3, padding: 'same' }, 'in', 'p0');
  holes.add(T, { filters: 1, kernelSize: 2, strides: 3 }, 'in', 'p1raw');
  holes.add('zeroPad2d', { padding: [0, 0] }, 'p1raw', 'p1');
  holes.add('conv2d', { filters: 1, kernelSize: [1, 1] }, 'p1', 'p1c');
  designs.push(holes.design());
  return designs;
}

const int2 = (lo: number, hi: number) => fc.tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: lo, max: hi }));
const transposed = fc.record({ k: int2(1, 4), s: int2(1, 3), pad: fc.oneof(fc.constant<unknown>('valid'), fc.constant<unknown>('same'), int2(0, 1)), op: int2(0, 2) })
  .map(({ k, s, pad, op }): [string, Params] => [T, {
    filters: 1, kernelSize: k, strides: s, padding: pad,
    outputPadding: pad === 'same' ? 0 : [Math.min(op[0], s[0] - 1), Math.min(op[1], s[1] - 1)],
  }]);
const strided = fc.record({ k: int2(1, 3), s: int2(1, 2), pad: fc.constantFrom<unknown>('valid', 'same', 1) })
  .map(({ k, s, pad }): [string, Params] => ['conv2d', { filters: 1, kernelSize: k, strides: s, padding: pad }]);
const randomChain = fc.array(fc.oneof({ weight: 3, arbitrary: transposed }, { weight: 2, arbitrary: strided }), { minLength: 2, maxLength: 3 });

/** The largest period of any node's field in `designs` (the block of units that covers a period of each). */
function largestPeriod(designs: Design[]): number {
  let period = 1;
  for (const d of designs) {
    for (const n of analyze(d).nodes) period = Math.max(period, ...(n.receptiveField?.phases?.period ?? [1]));
  }
  return period;
}

function measure(designs: Design[], units: number): Measured[] {
  const run = spawnSync(PYTHON, [join(root, 'scripts', 'measure_rf.py'), '--units', String(units)], {
    input: JSON.stringify(designs), encoding: 'utf8', timeout: 280_000, maxBuffer: 256 << 20,
  });
  if (run.status !== 0) throw new Error(`measure_rf.py failed (${run.status ?? run.signal}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Measured[];
}

/** Compares every measured unit of every node with its analysed window; returns how many were compared. */
function compare(designs: Design[], measured: Measured[]): { inside: number; blind: number } {
  let inside = 0;
  let blind = 0;
  designs.forEach((d, k) => {
    const [h, w] = (d.nodes[0].params as { shape: number[] }).shape;
    const a = analyze(d);
    expect(a.valid, d.name).toBe(true);
    for (const n of a.nodes) {
      const rf = n.receptiveField;
      if (!rf) continue;
      for (const [i, j, r0, r1, c0, c1] of measured[k][n.id]) {
        const rows = unitWindow(rf, 0, i);
        const cols = unitWindow(rf, 1, j);
        const where = `${d.name}: ${n.kind} '${n.id}' unit (${i}, ${j}), field ${JSON.stringify(rf)}`;
        if (rows[1] < rows[0] || cols[1] < cols[0]) {
          expect([r0, r1, c0, c1], `${where} sees nothing`).toEqual([-1, -1, -1, -1]);
          blind++;
        } else if (rows[0] >= 0 && rows[1] < h && cols[0] >= 0 && cols[1] < w) {
          expect([r0, r1, c0, c1], where).toEqual([...rows, ...cols]);
          inside++;
        }
      }
    }
  });
  return { inside, blind };
}

describe('conv2dTranspose receptive fields measured in PyTorch (scripts/measure_rf.py --units)', () => {
  itWithPython(['torch'], 'chosen crops, output paddings, chains and merges: every unit over a period, holes included', () => {
    const designs = chosen();
    const units = largestPeriod(designs);
    expect(units).toBeGreaterThanOrEqual(3);
    const { inside, blind } = compare(designs, measure(designs, units));
    console.log(`conv2dTranspose fields: ${designs.length} chosen designs, ${inside} units compared inside the image, ${blind} that see nothing`);
    expect(inside).toBeGreaterThan(1000);
    expect(blind).toBeGreaterThan(50);
  }, 300_000);

  itWithPython(['torch'], 'random chains of transposed and strided convolutions (fast-check, seeded)', () => {
    const designs = fc.sample(randomChain, { seed: 21, numRuns: 60 })
      .map((layers, i) => chain(`random ${i}: ${JSON.stringify(layers)}`, layers, [8, 8]))
      .filter((d) => analyze(d).valid)
      .filter((d) => analyze(d).nodes.every((n) => (n.outputShape ? n.outputShape[0] * n.outputShape[1] <= 80 * 80 : true)));
    expect(designs.length).toBeGreaterThanOrEqual(30);
    const units = Math.min(largestPeriod(designs), 9);
    const { inside, blind } = compare(designs, measure(designs, units));
    console.log(`conv2dTranspose fields: ${designs.length} random chains, ${units}×${units} units each node, ${inside} compared inside the image, ${blind} that see nothing`);
    expect(inside).toBeGreaterThan(1000);
  }, 300_000);
});
