/**
 * The receptive field of U-Net's output pixel (Ronneberger et al. 2015), measured: the preset's geometry (its layers
 * with 1 filter per conv and 2 for `head`, the same kernels, strides, pools, up-convolutions and crops, 572×572×1 in)
 * built by scripts/measure_rf.py from the design file alone and back-propagated from the centre unit of every node
 * and one whole period of units down and right of it (16: four 2×2 up-convolutions). Every node's reported field
 * must be the measured one, unit by unit, and `head`'s is stated here: the margin the paper's overlap-tile strategy
 * needs around each 388×388 output tile. Needs /usr/bin/python3 with torch (`itWithPython`).
 */

import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { itWithPython } from '../../test/support/python.ts';
import { compareFields, measureFields } from '../../test/support/rf-oracle.ts';
import { analyze } from './analyze.ts';
import type { Design } from '../contract/types.ts';

/** U-Net's preset with its widths cut to 1 filter (2 for the 2-class head): the geometry alone. */
function unetGeometry(): Design {
  const preset = JSON.parse(readFileSync('presets/unet.convas.json', 'utf8')) as Design;
  return {
    ...preset,
    nodes: preset.nodes.map((n) => ('filters' in (n.params ?? {}) ? { ...n, params: { ...n.params, filters: n.id === 'head' ? 2 : 1 } } : n)),
  };
}

describe("U-Net's output receptive field, measured in PyTorch (scripts/measure_rf.py)", () => {
  itWithPython(['torch'], 'every node of the 572×572 geometry sees exactly its analysed windows over a period of 16 units; head sees 204×204, stride 1', () => {
    const design = unetGeometry();
    const a = analyze(design);
    expect(a.valid).toBe(true);
    const head = a.nodes.find((n) => n.id === 'head')!;
    expect(head.outputShape).toEqual([388, 388, 2]);
    // the number the paper's tiling depends on
    expect(head.receptiveField).toMatchObject({ size: [204, 204], stride: [1, 1] });
    // the preset's full widths give the same fields: the geometry is the preset's
    const full = analyze(JSON.parse(readFileSync('presets/unet.convas.json', 'utf8')) as Design);
    expect(a.nodes.map((n) => n.receptiveField)).toEqual(full.nodes.map((n) => n.receptiveField));

    const [measured] = measureFields([design], [16]);
    const c = compareFields(a.nodes, measured, 572, 572, 0, (n) => `${n.kind} '${n.id}'`);
    // head's centre unit, its diagonal neighbour, 16 more down and 16 more right: all measured, none outside the tile
    expect(measured.head.length).toBe(34);
    const sizes = measured.head.map(([, , r0, r1, c0, c1]) => [r1 - r0 + 1, c1 - c0 + 1]);
    expect(Math.max(...sizes.flat())).toBe(204);
    const centre = measured.head.find(([i, j]) => i === 193 && j === 193)!;
    console.log(`U-Net head: unit (193, 193) sees rows ${centre[2]}…${centre[3]}, columns ${centre[4]}…${centre[5]}; window sizes over a period ${[...new Set(sizes.map((s) => s[0]))].sort((x, y) => x - y).join(', ')}`);
    console.log(`U-Net: head ${head.receptiveField!.size.join('×')}, stride ${head.receptiveField!.stride.join('×')}; ${c.compared} units of ${a.nodes.length} nodes compared (${c.phased} phased), ${c.periods} whole periods`);
    expect(c.compared).toBeGreaterThan(500);
    expect(c.periods).toBeGreaterThanOrEqual(2 * a.nodes.filter((n) => n.outputShape?.length === 3).length - 4);
  }, 600_000);
});
