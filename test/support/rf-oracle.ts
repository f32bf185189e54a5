/**
 * Receptive fields measured by back-propagation in PyTorch (scripts/measure_rf.py) and compared with the analysis,
 * node by node and unit by unit (docs/receptive-field.md#how-it-is-checked): what the decoder oracle tests share.
 */

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { PYTHON } from './python.ts';
import { unitWindow } from '../../src/engine/receptive-field.ts';
import type { Design, NodeAnalysis } from '../../src/contract/types.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One measured unit: `[i, j, rowMin, rowMax, colMin, colMax, global]` (-1s for a unit that sees no pixel). */
export type MeasuredUnit = [number, number, number, number, number, number, number];

/**
 * Runs scripts/measure_rf.py on `designs`, measuring per design the centre unit of every node and `sweep[k]` units
 * down and right of it (a whole period of a decoder's units).
 * @returns per design, per node id, the measured units
 * @throws Error with the script's stderr when it fails
 */
export function measureFields(designs: Design[], sweep: number[], timeoutMs = 280_000): Record<string, MeasuredUnit[]>[] {
  const run = spawnSync(PYTHON, [join(root, 'scripts', 'measure_rf.py')], {
    input: JSON.stringify({ designs, sweep }), encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 << 20,
  });
  if (run.status !== 0) throw new Error(`measure_rf.py failed (${run.status ?? run.signal}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, MeasuredUnit[]>[];
}

/** What `compareFields` compared. */
export interface FieldComparison {
  /** units whose window was compared exactly */
  compared: number;
  /** of those, units of nodes with a phased field (behind an upsampling or a transposed conv) */
  phased: number;
  /** units measured to depend on a global pool */
  globals: number;
  /** axes over which a whole period of units was compared for size and stride */
  periods: number;
}

/**
 * Compares every node of `nodes` (the analysis of a design on an `h`×`w` input) with its measured units: each unit
 * whose window lies `margin` or more pixels inside the image sees exactly the window `unitWindow` gives, `global`
 * is set exactly where measured, and over a whole period of compared units the reported size is the largest
 * measured window and the stride the measured average step. Fails the running test on the first difference.
 */
export function compareFields(nodes: readonly NodeAnalysis[], measured: Record<string, MeasuredUnit[]>, h: number, w: number, margin: number, what: (n: NodeAnalysis) => string): FieldComparison {
  const c: FieldComparison = { compared: 0, phased: 0, globals: 0, periods: 0 };
  for (const n of nodes) {
    const units = measured[n.id];
    const rf = n.receptiveField;
    const where = what(n);
    if (!rf) {
      // only global paths reach it: no pixel is reached with the pools held
      if (units) for (const u of units) expect(u.slice(2, 6), where).toEqual([-1, -1, -1, -1]);
      continue;
    }
    expect(units, `no measurement for ${where}`).toBeDefined();
    const inside = (axis: 0 | 1, i: number, size: number) => {
      const win = unitWindow(rf, axis, i);
      return win[0] >= margin && win[1] < size - margin ? win : null;
    };
    const starts: [Map<number, number>, Map<number, number>] = [new Map(), new Map()];
    const sizes: [Map<number, number>, Map<number, number>] = [new Map(), new Map()];
    for (const [i, j, r0, r1, c0, c1, global] of units) {
      expect(global === 1, `global of unit (${i}, ${j}) of ${where}`).toBe(rf.global === true);
      if (global) c.globals++;
      const rows = inside(0, i, h);
      const cols = inside(1, j, w);
      if (!rows || !cols) continue;
      expect([r0, r1, c0, c1], `unit (${i}, ${j}) of ${where}`).toEqual([...rows, ...cols]);
      c.compared++;
      if (rf.phases) c.phased++;
      starts[0].set(i, r0);
      starts[1].set(j, c0);
      sizes[0].set(i, r1 - r0 + 1);
      sizes[1].set(j, c1 - c0 + 1);
    }
    // over a whole period of compared units: size the largest window, stride the average step
    const centre = [(n.outputShape![0] - 1) >> 1, (n.outputShape![1] - 1) >> 1];
    for (const axis of [0, 1] as const) {
      const p = rf.phases ? rf.phases.period[axis] : 1;
      const first = centre[axis];
      const all = Array.from({ length: p + 1 }, (_, q) => first + q);
      if (!all.every((u) => starts[axis].has(u))) continue;
      expect(Math.max(...all.slice(0, p).map((u) => sizes[axis].get(u)!)), `size of ${where}`).toBe(rf.size[axis]);
      expect((starts[axis].get(first + p)! - starts[axis].get(first)!) / p, `stride of ${where}`).toBe(rf.stride[axis]);
      c.periods++;
    }
  }
  return c;
}
