/**
 * Receptive fields against PyTorch (docs/receptive-field.md#how-it-is-checked): designs generated here (branches that merge with `add` or
 * `concat`, even kernels with asymmetric `same` padding, a `zeroPad2d` on one branch, strides, dilation,
 * explicit and ceil-mode pools) are built and measured by scripts/measure_rf.py, which back-propagates from
 * the centre output position of every node (all channels) and from its neighbour one step down and right, and
 * reports the input rows and columns they reach. Where a node's field from the analysis lies inside the
 * image, it must be exactly that window.
 *
 * Merges here join paths of equal stride: there the covering window (docs/receptive-field.md#merging-paths) is what every unit sees.
 * Needs /usr/bin/python3 with torch (`itWithPython`: in CI its absence fails the test).
 */

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { itWithPython, PYTHON } from '../../test/support/python.ts';
import { analyze } from './analyze.ts';
import type { Design, DesignEdge, DesignNode, ReceptiveField } from '../contract/types.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Layer = { kind: string; params: Record<string, unknown> };

const int2 = (lo: number, hi: number) => fc.tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: lo, max: hi }));
const padding = (window: [number, number]) =>
  fc.oneof(fc.constant<unknown>('valid'), fc.constant<unknown>('same'),
    fc.tuple(fc.integer({ min: 0, max: Math.floor(window[0] / 2) }), fc.integer({ min: 0, max: Math.floor(window[1] / 2) })));

const conv: fc.Arbitrary<Layer> = int2(1, 4).chain((k) => fc.record({
  kind: fc.constantFrom('conv2d', 'depthwiseConv2d', 'separableConv2d'),
  params: fc.record({
    kernelSize: fc.constant(k), strides: int2(1, 2), dilation: int2(1, 2), padding: padding(k), filters: fc.constant(2),
  }),
})).map((l) => (l.kind === 'depthwiseConv2d' ? { kind: l.kind, params: { ...l.params, filters: undefined } } : l));

const pool: fc.Arbitrary<Layer> = int2(1, 3).chain((k) => fc.record({
  kind: fc.constantFrom('maxPool2d', 'avgPool2d'),
  params: fc.record({ poolSize: fc.constant(k), strides: int2(1, 3), padding: padding(k), ceilMode: fc.boolean() }),
}));

const zeroPad: fc.Arbitrary<Layer> = int2(0, 2).map((p) => ({ kind: 'zeroPad2d', params: { padding: p } }));

const layer = fc.oneof({ weight: 3, arbitrary: conv }, { weight: 2, arbitrary: pool }, { weight: 1, arbitrary: zeroPad });

/**
 * A branch layer that keeps H×W (so that branches can merge): `same` padding, stride 1, even or odd kernels,
 * dilation; or a zero padding undone by a valid convolution. Even kernels put the extra padding after, so
 * such paths are not centred like the others.
 */
const keepSize: fc.Arbitrary<Layer[]> = fc.oneof(
  fc.record({ kind: fc.constantFrom('conv2d', 'depthwiseConv2d', 'separableConv2d', 'maxPool2d', 'avgPool2d'), k: int2(1, 4), d: int2(1, 2) })
    .map(({ kind, k, d }) => [kind.endsWith('Pool2d')
      ? { kind, params: { poolSize: k, strides: [1, 1], padding: 'same' } }
      : { kind, params: { kernelSize: k, dilation: d, padding: 'same', ...(kind === 'depthwiseConv2d' ? {} : { filters: 2 }) } }]),
  int2(0, 2).map((p) => [
    { kind: 'zeroPad2d', params: { padding: p } },
    { kind: 'conv2d', params: { filters: 2, kernelSize: [2 * p[0] + 1, 2 * p[1] + 1] } },
  ]),
);

/** A layer that halves H×W (`same`, stride 2), by a different route on each branch. */
const halve: fc.Arbitrary<Layer> = fc.record({ kind: fc.constantFrom('conv2d', 'maxPool2d', 'avgPool2d'), k: int2(1, 4) })
  .map(({ kind, k }) => (kind === 'conv2d'
    ? { kind, params: { filters: 2, kernelSize: k, strides: [2, 2], padding: 'same' } }
    : { kind, params: { poolSize: k, strides: [2, 2], padding: 'same' } }));

const branch = (downsample: boolean): fc.Arbitrary<Layer[]> =>
  fc.tuple(fc.array(keepSize, { maxLength: 2 }), downsample ? halve.map((l) => [l]) : fc.constant([]), fc.nat())
    .map(([keep, down, at]) => {
      const layers = keep.flat();
      layers.splice(at % (layers.length + 1), 0, ...down);
      return layers;
    });

/** A trunk of steps; a step is one layer, or two or three branches joined by a merge. */
const step = fc.oneof(
  { weight: 1, arbitrary: layer.map((l) => ({ layer: l })) },
  {
    weight: 3,
    arbitrary: fc.boolean().chain((downsample) => fc.record({
      branches: fc.array(branch(downsample), { minLength: 2, maxLength: 3 }),
      merge: fc.constantFrom('add', 'concat'),
      portsReversed: fc.boolean(),
    })),
  },
);

const designArb = fc.record({
  size: int2(28, 48),
  steps: fc.array(step, { minLength: 1, maxLength: 4 }),
}).map(({ size, steps }): Design => {
  const nodes: DesignNode[] = [{ id: 'in', kind: 'input', params: { shape: [size[0], size[1], 2] } }];
  const edges: DesignEdge[] = [];
  let last = 'in';
  const addNode = (l: Layer, from: string) => {
    const id = `n${nodes.length}`;
    const params = Object.fromEntries(Object.entries(l.params).filter(([, v]) => v !== undefined));
    nodes.push({ id, kind: l.kind, params });
    edges.push({ source: from, target: id });
    return id;
  };
  for (const s of steps) {
    if ('layer' in s) {
      last = addNode(s.layer, last);
      continue;
    }
    const ends = s.branches.map((b: Layer[]) => b.reduce((from, l) => addNode(l, from), last));
    const id = `n${nodes.length}`;
    nodes.push({ id, kind: s.merge, params: {} });
    // Explicit ports in reverse on some merges: input order must follow targetPort, not file order.
    ends.forEach((from, k) => edges.push({ source: from, target: id, ...(s.portsReversed ? { targetPort: ends.length - 1 - k } : {}) }));
    last = id;
  }
  return { format: 'convas.design', version: 1, name: 'generated', nodes, edges };
});

const pairOf = (v: unknown, fallback: number): [number, number] =>
  v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : (v as [number, number]);

/**
 * Valid designs whose merges join paths of one stride (where the covering window is exact for every unit),
 * and whose fields have no holes: a field is a bounding window, and where a kernel's taps land further apart
 * (dilation × the input's stride) than the input's field is wide, some pixels inside it are never seen, so
 * measured bounds clipped to the image can stop short of the window.
 */
function usable(d: Design): boolean {
  const a = analyze(d);
  if (!a.valid) return false;
  const byId = new Map(a.nodes.map((n) => [n.id, n]));
  const nodeById = new Map(d.nodes.map((n) => [n.id, n]));
  return a.nodes.every((n) => {
    const ins = n.inputs.map((i) => byId.get(i)!.receptiveField!);
    if (ins.length > 1) return new Set(ins.map((f) => f.stride.join('×'))).size === 1;
    const p = nodeById.get(n.id)!.params;
    const kernel = p.kernelSize ?? p.poolSize;
    if (kernel === undefined) return true;
    const k = pairOf(kernel, 1);
    const dil = pairOf(p.dilation, 1);
    return ([0, 1] as const).every((ax) => k[ax] === 1 || dil[ax] * ins[0].stride[ax] <= ins[0].size[ax]);
  });
}

/** The input rows (axis 0) or columns (axis 1) that output unit `i` sees, or null where that window is not wholly inside the image. */
function windowInside(rf: ReceptiveField, axis: 0 | 1, i: number, inputSize: number): [number, number] | null {
  const start = i * rf.stride[axis] - rf.padding[axis];
  const end = start + rf.size[axis] - 1;
  return start >= 0 && end < inputSize ? [start, end] : null;
}

describe('receptive fields measured in PyTorch (scripts/measure_rf.py)', () => {
  itWithPython(['torch'], 'the example of docs/receptive-field.md#merging-paths: paths 3×3→3×3 and 4×4→2×2 (same) see rows −2…+3 after add', () => {
    const d: Design = {
      format: 'convas.design', version: 1, name: 'uncentred',
      nodes: [
        { id: 'in', kind: 'input', params: { shape: [16, 16, 1] } },
        { id: 'a1', kind: 'conv2d', params: { filters: 1, kernelSize: 3, padding: 'same' } },
        { id: 'a2', kind: 'conv2d', params: { filters: 1, kernelSize: 3, padding: 'same' } },
        { id: 'b1', kind: 'conv2d', params: { filters: 1, kernelSize: 4, padding: 'same' } },
        { id: 'b2', kind: 'conv2d', params: { filters: 1, kernelSize: 2, padding: 'same' } },
        { id: 'sum', kind: 'add', params: {} },
      ],
      edges: [
        { source: 'in', target: 'a1' }, { source: 'a1', target: 'a2' }, { source: 'in', target: 'b1' },
        { source: 'b1', target: 'b2' }, { source: 'a2', target: 'sum' }, { source: 'b2', target: 'sum' },
      ],
    };
    const sum = analyze(d).nodes.find((n) => n.id === 'sum')!;
    expect(sum.receptiveField).toEqual({ size: [6, 6], stride: [1, 1], padding: [2, 2] });
    const [measured] = runOracle([d]);
    // the centre unit (7, 7) reaches rows and columns 5…10
    expect(measured.sum.find(([i, j]) => i === 7 && j === 7)).toEqual([7, 7, 5, 10, 5, 10]);
  });

  itWithPython(['torch'], 'every node of generated branching designs sees exactly the window the analysis gives', () => {
    const candidates = fc.sample(designArb, { seed: 20261201, numRuns: 400 });
    const designs = candidates.filter(usable).slice(0, 120);
    const merges = designs.reduce((n, d) => n + d.nodes.filter((x) => x.kind === 'add' || x.kind === 'concat').length, 0);
    const started = Date.now();
    const measured = runOracle(designs);
    console.log(`measured receptive fields: ${designs.length} designs (${merges} merges) of ${candidates.length} generated, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(designs.length).toBeGreaterThanOrEqual(60);
    expect(merges).toBeGreaterThanOrEqual(60);

    // Only units whose window lies wholly inside the image are compared: a window that reaches past the
    // border also reaches positions no layer computes (zero padding, or the pixels a valid window leaves
    // over), so a unit sees less than its field there, a fact of borders, not of fields.
    let compared = 0;
    const mergesCompared = new Set<string>();
    designs.forEach((d, k) => {
      const a = analyze(d);
      const [h, w] = (d.nodes[0].params as { shape: number[] }).shape;
      for (const n of a.nodes) {
        const rf = n.receptiveField;
        if (!rf) continue;
        const units = measured[k][n.id];
        expect(units, `design ${k}: no measurement for ${n.id}`).toBeDefined();
        for (const [i, j, r0, r1, c0, c1] of units) {
          const rows = windowInside(rf, 0, i, h);
          const cols = windowInside(rf, 1, j, w);
          if (!rows || !cols) continue;
          expect([r0, r1, c0, c1], `${n.kind} '${n.id}' unit (${i}, ${j}) of ${JSON.stringify(d)}`).toEqual([...rows, ...cols]);
          compared++;
          if (n.inputs.length > 1) mergesCompared.add(`${k}/${n.id}`);
        }
      }
    });
    console.log(`  ${compared} units compared, ${mergesCompared.size} of them merges`);
    expect(compared).toBeGreaterThan(400);
    expect(mergesCompared.size).toBeGreaterThanOrEqual(60);
  }, 300_000);
});

type Measured = Record<string, [number, number, number, number, number, number][]>;

function runOracle(designs: Design[]): Measured[] {
  const run = spawnSync(PYTHON, [join(root, 'scripts', 'measure_rf.py')], {
    input: JSON.stringify(designs), encoding: 'utf8', timeout: 280_000, maxBuffer: 256 << 20,
  });
  if (run.status !== 0) throw new Error(`measure_rf.py failed (${run.status ?? run.signal}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Measured[];
}
