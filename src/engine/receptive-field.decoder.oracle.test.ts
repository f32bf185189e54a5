/**
 * Receptive fields through decoders against PyTorch (docs/receptive-field.md#how-it-is-checked): small generated
 * designs with nearest and bilinear upsampling by 2 and 3, crops, strided convolutions and pools, merges of an
 * upsampled path with a path that kept its size, DeepLab's image pooling (a kept-dims global pool, a 1×1 conv,
 * upsampled to H×W and concatenated) and a squeeze-and-excitation gate. scripts/measure_rf.py builds each in
 * PyTorch from the design file alone (bilinear as exact-fraction interpolation matrices, checked against
 * F.interpolate, so a tap of weight 0 has a gradient of exactly 0) and back-propagates from the centre unit of
 * every node and from a whole period of units below and right of it, holding the global pools constant. Every
 * unit whose window lies inside the image must see exactly the window `unitWindow` gives from the reported
 * field, and `global` must be set exactly where a unit depends on a global pool. Over a whole period the
 * reported size must be the largest measured window and the stride the measured average step.
 *
 * The generator's steps are a list (`decoderStep`): transposed convolutions are among them (kernels no smaller than
 * their strides, so every unit sees some pixel: receptive-field.transposed.oracle.test.ts measures the others).
 * Needs /usr/bin/python3 with torch (`itWithPython`: in CI its absence fails the test).
 */

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { itWithPython } from '../../test/support/python.ts';
import { compareFields, measureFields } from '../../test/support/rf-oracle.ts';
import { analyze } from './analyze.ts';
import { unitWindow } from './receptive-field.ts';
import type { Design, DesignEdge, DesignNode, NodeAnalysis } from '../contract/types.ts';

type Layer = { kind: string; params: Record<string, unknown> };

const factor = fc.constantFrom(1, 2, 3);
const upsample: fc.Arbitrary<Layer> = fc.record({
  size: fc.tuple(factor, factor), interpolation: fc.constantFrom('nearest', 'bilinear'),
}).map((params) => ({ kind: 'upsample2d', params }));
const crop: fc.Arbitrary<Layer> = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }))
  .map((c) => ({ kind: 'cropping2d', params: { cropping: c } }));
const conv: fc.Arbitrary<Layer> = fc.record({
  kernelSize: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
  strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  padding: fc.constantFrom('valid', 'same'),
}).map((p) => ({ kind: 'conv2d', params: { filters: 2, ...p } }));
const pool: fc.Arbitrary<Layer> = fc.record({
  poolSize: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  strides: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  padding: fc.constantFrom('valid', 'same'),
}).map((p) => ({ kind: 'avgPool2d', params: p }));

/** A transposed convolution: `valid`, `same` or an explicit crop, output padding below the stride (not with `same`). */
const transposed: fc.Arbitrary<Layer> = fc.record({
  k: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
  s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  padding: fc.constantFrom<'valid' | 'same' | number>('valid', 'same', 1),
  op: fc.boolean(),
}).map(({ k, s, padding, op }) => {
  const strides: [number, number] = [Math.min(s[0], k[0]), Math.min(s[1], k[1])];
  const outputPadding = op && padding !== 'same' ? [strides[0] - 1, strides[1] - 1] : 0;
  return { kind: 'conv2dTranspose', params: { filters: 2, kernelSize: k, strides, padding, outputPadding } };
});

/** A path that halves then doubles H×W by its own route (a U-Net level's way back up), or keeps it. */
const downUp: fc.Arbitrary<Layer[]> = fc.record({ down: fc.constantFrom('conv2d', 'avgPool2d'), k: fc.integer({ min: 1, max: 3 }), interpolation: fc.constantFrom('nearest', 'bilinear') })
  .map(({ down, k, interpolation }) => [
    down === 'conv2d'
      ? { kind: down, params: { filters: 2, kernelSize: k, strides: 2, padding: 'same' } }
      : { kind: down, params: { poolSize: 2, strides: 2 } },
    { kind: 'upsample2d', params: { size: 2, interpolation } },
  ]);
const keep: fc.Arbitrary<Layer[]> = fc.integer({ min: 1, max: 3 }).map((k) => [{ kind: 'conv2d', params: { filters: 2, kernelSize: k, padding: 'same' } }]);

/** One step of the trunk: a layer, a merge of two paths (cropped to one size), the image pooling or an SE gate. */
const decoderStep = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(upsample, upsample, transposed, crop, conv, pool).map((l) => ({ layer: l })) },
  { weight: 3, arbitrary: fc.record({ branches: fc.tuple(fc.oneof(downUp, keep, upsample.map((l) => [l])), fc.oneof(downUp, keep)), merge: fc.constantFrom('add', 'concat') }) },
  { weight: 1, arbitrary: fc.constantFrom('imagePool', 'gate').map((global) => ({ global })) },
);

/**
 * The design of a trunk; a merge's longer path is cropped to the shorter one (both ways where the difference is
 * even, else the merge keeps one path), the image pooling's upsampling takes the pooled 1×1 to the map's H×W.
 */
function designOf(size: [number, number], steps: unknown[]): Design {
  const nodes: DesignNode[] = [{ id: 'in', kind: 'input', params: { shape: [size[0], size[1], 2] } }];
  const edges: DesignEdge[] = [];
  const design = (): Design => ({ format: 'convas.design', version: 1, name: 'decoder', nodes, edges });
  const shapeOf = (id: string) => analyze(design()).nodes.find((n) => n.id === id)?.outputShape ?? null;
  const add = (kind: string, params: Record<string, unknown>, from: string[]) => {
    const id = `n${nodes.length}`;
    nodes.push({ id, kind, params });
    from.forEach((source) => edges.push({ source, target: id }));
    return id;
  };
  let last = 'in';
  for (const s of steps as ({ layer: Layer } | { branches: Layer[][]; merge: string } | { global: string })[]) {
    if ('layer' in s) {
      last = add(s.layer.kind, s.layer.params, [last]);
    } else if ('global' in s) {
      const x = shapeOf(last);
      if (!x || x.length !== 3) continue;
      const pooled = add('globalAvgPool', { keepDims: true }, [last]);
      const reduced = add('conv2d', { filters: 2, kernelSize: 1, activation: 'sigmoid' }, [pooled]);
      last = s.global === 'gate'
        ? add('multiply', {}, [last, reduced])
        : add('concat', {}, [last, add('upsample2d', { size: [x[0], x[1]] }, [reduced])]);
    } else {
      const ends = s.branches.map((b) => b.reduce((from, l) => add(l.kind, l.params, [from]), last));
      const shapes = ends.map(shapeOf);
      if (shapes.some((x) => !x || x.length !== 3)) continue;
      const h = Math.min(...shapes.map((x) => x![0]));
      const w = Math.min(...shapes.map((x) => x![1]));
      if (shapes.some((x) => (x![0] - h) % 2 !== 0 || (x![1] - w) % 2 !== 0)) {
        last = ends[0];
        continue;
      }
      const cropped = ends.map((e, k) => (shapes[k]![0] === h && shapes[k]![1] === w ? e
        : add('cropping2d', { cropping: [(shapes[k]![0] - h) / 2, (shapes[k]![1] - w) / 2] }, [e])));
      last = add(s.merge, {}, cropped);
    }
  }
  return design();
}

const designArb = fc.record({
  size: fc.tuple(fc.integer({ min: 16, max: 32 }), fc.integer({ min: 16, max: 32 })),
  steps: fc.array(decoderStep, { minLength: 2, maxLength: 5 }),
}).map(({ size, steps }) => designOf(size, steps));

/** The product of a design's upsampling factors and transposed strides per axis: a whole number of every node's periods. */
function periods(d: Design): number {
  let p = 1;
  for (const n of d.nodes) {
    if (n.kind !== 'upsample2d' && n.kind !== 'conv2dTranspose') continue;
    const s = (n.kind === 'upsample2d' ? n.params.size : n.params.strides) as number | [number, number] | undefined;
    const [h, w] = s === undefined ? [2, 2] : typeof s === 'number' ? [s, s] : s;
    p *= Math.max(h, w);
  }
  return p;
}

/**
 * Valid designs with some decoder in them, no map larger than 160 (the measurement's cost), merges of paths of
 * one average stride (where the union is exact for every unit: docs/receptive-field.md#composing), and
 * periods small enough to sweep.
 */
function usable(d: Design): boolean {
  const a = analyze(d);
  if (!a.valid || periods(d) > 12 || !d.nodes.some((n) => n.kind === 'upsample2d' || n.kind === 'conv2dTranspose')) return false;
  const byId = new Map(a.nodes.map((n) => [n.id, n]));
  return a.nodes.every((n) => {
    if (n.outputShape && n.outputShape.length === 3 && (n.outputShape[0] > 160 || n.outputShape[1] > 160)) return false;
    const ins = n.inputs.map((i) => byId.get(i)!.receptiveField).filter((f) => f !== null);
    return ins.length < 2 || new Set(ins.map((f) => f!.stride.join('×'))).size === 1;
  });
}

/**
 * How far from the image's border a window must stay to be compared. A crop's map (a crop, or a transposed conv's) has no units past its edges, so
 * a later layer's zero padding there hides pixels that lie inside the image (the field, on an unbounded input,
 * reads them): each crop by c of a map whose field has stride s and size k moves the border in by up to
 * c·s + k pixels. Without crops, a window inside the image meets no padding (docs/receptive-field.md#near-the-borders).
 */
function cropMargin(d: Design, nodes: readonly NodeAnalysis[]): number {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  let margin = 0;
  for (const n of d.nodes) {
    if (n.kind === 'conv2dTranspose' && n.params.padding !== 'valid') {
      // its crop (`same` or explicit) takes units off the full output's edges: at most its kernel each side
      const rf = byId.get(n.id)!.receptiveField!;
      const k = n.params.kernelSize as [number, number];
      margin += Math.max(Math.ceil(k[0] * rf.stride[0]) + rf.size[0], Math.ceil(k[1] * rf.stride[1]) + rf.size[1]);
      continue;
    }
    if (n.kind !== 'cropping2d') continue;
    const rf = byId.get(byId.get(n.id)!.inputs[0])!.receptiveField!;
    const c = n.params.cropping as number | [number, number];
    const [ch, cw] = typeof c === 'number' ? [c, c] : c;
    margin += Math.max(Math.ceil(ch * rf.stride[0]) + rf.size[0], Math.ceil(cw * rf.stride[1]) + rf.size[1]);
  }
  return margin;
}

describe('receptive fields through decoders, measured in PyTorch unit by unit (scripts/measure_rf.py)', () => {
  itWithPython(['torch'], 'the example of docs/receptive-field.md: conv 3×3, nearest ×2, conv 3×3 sees 4 pixels, starts moving 0 and 1 in turn', () => {
    const d: Design = {
      format: 'convas.design', version: 1, name: 'doc example',
      nodes: [
        { id: 'in', kind: 'input', params: { shape: [16, 16, 1] } },
        { id: 'c1', kind: 'conv2d', params: { filters: 1, kernelSize: 3, padding: 1 } },
        { id: 'up', kind: 'upsample2d', params: {} },
        { id: 'c2', kind: 'conv2d', params: { filters: 1, kernelSize: 3, padding: 1 } },
      ],
      edges: [{ source: 'in', target: 'c1' }, { source: 'c1', target: 'up' }, { source: 'up', target: 'c2' }],
    };
    const c2 = analyze(d).nodes.find((n) => n.id === 'c2')!;
    expect(c2.receptiveField).toEqual({
      size: [4, 4], stride: [0.5, 0.5], padding: [2, 2],
      phases: { period: [2, 2], advance: [1, 1], size: [[4, 4], [4, 4]], padding: [[2, 1], [2, 1]] },
    });
    const [measured] = measureFields([d], [2]);
    // units 15, 16, 17 (rows) see pixels 6…9, 6…9, 7…10: ⌊(u − 1)/2⌋ − 1 … ⌊(u + 1)/2⌋ + 1
    const rows = measured.c2.filter(([, j]) => j === 15).map(([i, , r0, r1]) => [i, r0, r1]);
    expect(rows).toEqual([[15, 6, 9], [16, 6, 9], [17, 7, 10]]);
    expect(rows.map(([i]) => [i, ...unitWindow(c2.receptiveField!, 0, i)])).toEqual(rows);
  });

  itWithPython(['torch'], 'bilinear ×3: the middle phase reads one unit (its second tap weighs exactly 0), the others two', () => {
    const d: Design = {
      format: 'convas.design', version: 1, name: 'bilinear 3',
      nodes: [{ id: 'in', kind: 'input', params: { shape: [9, 9, 1] } }, { id: 'up', kind: 'upsample2d', params: { size: 3, interpolation: 'bilinear' } }],
      edges: [{ source: 'in', target: 'up' }],
    };
    const rf = analyze(d).nodes.find((n) => n.id === 'up')!.receptiveField!;
    expect(rf).toMatchObject({ size: [2, 2], stride: [1 / 3, 1 / 3], padding: [1, 1] });
    const [measured] = measureFields([d], [3]);
    for (const [i, j, r0, r1] of measured.up.filter(([, j]) => j === 13)) {
      expect([r0, r1], `unit (${i}, ${j})`).toEqual(unitWindow(rf, 0, i));
    }
    expect(measured.up.filter(([, j]) => j === 13).map(([i, , r0, r1]) => [i, r1 - r0 + 1])).toEqual([[13, 1], [14, 2], [15, 2], [16, 1]]);
  });

  itWithPython(['torch'], 'every node of generated decoder designs: each unit of a period sees exactly its window, global where a global pool reaches it', () => {
    const candidates = fc.sample(designArb, { seed: 20261221, numRuns: 160 });
    const designs = candidates.filter(usable).slice(0, 40);
    const sweep = designs.map(periods);
    const measured = measureFields(designs, sweep);
    expect(designs.length).toBeGreaterThanOrEqual(20);

    const total = { compared: 0, phased: 0, globals: 0, periods: 0 };
    designs.forEach((d, k) => {
      const a = analyze(d);
      const [h, w] = (d.nodes[0].params as { shape: number[] }).shape;
      const c = compareFields(a.nodes, measured[k], h, w, cropMargin(d, a.nodes), (n) => `${n.kind} '${n.id}' of design ${k}, ${JSON.stringify(d)}`);
      for (const key of ['compared', 'phased', 'globals', 'periods'] as const) total[key] += c[key];
    });
    const transposedNodes = designs.flatMap((d) => d.nodes).filter((n) => n.kind === 'conv2dTranspose').length;
    console.log(`decoder fields: ${designs.length} designs of ${candidates.length} (${transposedNodes} transposed convs), ${total.compared} units compared (${total.phased} phased), ${total.globals} global, ${total.periods} whole periods`);
    expect(total.phased).toBeGreaterThan(100);
    expect(total.periods).toBeGreaterThan(40);
    expect(transposedNodes).toBeGreaterThan(5);
  }, 300_000);
});
