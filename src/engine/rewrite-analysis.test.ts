/**
 * The advice's analysis of a rewrite (rewrite-analysis.ts) against a full `analyze` of the rewritten copy, on random
 * designs and every rewrite the advice makes there: the same totals, validity, fields and rows.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import { adviseDetailed } from './advice.ts';
import { analyze, analyzeNodes } from './analyze.ts';
import { analyzeRewrite, sameField } from './rewrite-analysis.ts';
import type { Design } from '../contract/types.ts';

const layerArb = fc.oneof(
  fc.record({ kind: fc.constant('conv2d'), k: fc.constantFrom(1, 3, 5, 7), filters: fc.constantFrom(8, 32, 96), strides: fc.constantFrom(1, 1, 2), dilation: fc.constantFrom(1, 1, 2), pad: fc.constantFrom('same', 'valid'), useBias: fc.boolean() }),
  fc.record({ kind: fc.constant('conv2dTranspose'), k: fc.constantFrom(2, 3, 4), filters: fc.constantFrom(8, 16), strides: fc.constantFrom(1, 2), pad: fc.constantFrom('same', 'valid'), useBias: fc.boolean() }),
  fc.constantFrom({ kind: 'batchNorm' }, { kind: 'relu' }, { kind: 'maxPool2d' }),
  fc.record({ kind: fc.constant('branch'), k: fc.constantFrom(1, 3, 5), merge: fc.constantFrom('add', 'concat') }),
);

const designArb = fc.record({
  size: fc.integer({ min: 9, max: 33 }),
  channels: fc.constantFrom(3, 16, 64),
  layers: fc.array(layerArb, { minLength: 1, maxLength: 8 }),
  head: fc.constantFrom('gap', 'flatten', 'none'),
});

type Spec = typeof designArb extends fc.Arbitrary<infer T> ? T : never;

/** A chain of the layers (a branch: a same conv beside the trunk, merged back), then the head. */
function build(spec: Spec): Design {
  const b = new DesignBuilder('random');
  b.input([spec.size, spec.size, spec.channels]);
  for (const l of spec.layers) {
    const from = b.last;
    if (l.kind === 'conv2d') {
      const c = l as { k: number; filters: number; strides: number; dilation: number; pad: string; useBias: boolean };
      b.add('conv2d', { filters: c.filters, kernelSize: c.k, strides: c.strides, dilation: c.dilation, padding: c.pad, useBias: c.useBias });
    } else if (l.kind === 'conv2dTranspose') {
      const t = l as { k: number; filters: number; strides: number; pad: string; useBias: boolean };
      b.add('conv2dTranspose', { filters: t.filters, kernelSize: t.k, strides: t.strides, padding: t.pad, useBias: t.useBias });
    } else if (l.kind === 'branch') {
      const r = l as { k: number; merge: string };
      const shape = analyze(b.design()).nodes.find((n) => n.id === from)?.outputShape;
      if (!shape || shape.length !== 3) continue;
      const side = b.add('conv2d', { filters: shape[2], kernelSize: r.k, padding: 'same' }, from);
      b.add(r.merge, {}, [from, side]);
    } else if (l.kind === 'relu') b.add('activation', { fn: 'relu' });
    else if (l.kind === 'maxPool2d') b.add('maxPool2d', { poolSize: 2, padding: 'same' });
    else b.add(l.kind, {});
  }
  if (spec.head !== 'none') {
    b.add(spec.head === 'gap' ? 'globalAvgPool' : 'flatten', {});
    b.add('dense', { units: 10 });
  }
  return b.design();
}

describe('the analysis of an advised rewrite', () => {
  it('equals a full analysis of the rewritten copy: totals, validity, receptive fields, every row (property)', () => {
    let items = 0;
    let partial = 0;
    fc.assert(fc.property(designArb, (spec) => {
      const d = build(spec);
      const before = analyze(d);
      if (!before.valid) return;
      const byId = new Map(before.nodes.map((n) => [n.id, n]));
      for (const item of adviseDetailed(d, before)) {
        if (!item.rewrite) continue;
        items++;
        const rw = { design: item.rewrite, rewritten: item.rewritten!, added: item.added! };
        const got = analyzeRewrite(before, byId, rw);
        const full = analyze(item.rewrite);
        const fullById = new Map(full.nodes.map((n) => [n.id, n]));
        expect([got.params, got.macs, got.valid]).toEqual([full.totals.params, full.totals.macs, full.valid]);
        expect(got.sameFields).toBe(before.nodes.every((n) => sameField(n.receptiveField, fullById.get(n.id)!.receptiveField)));
        for (const n of full.nodes) {
          const row = got.rowOf(n.id)!;
          expect([row.outputShape, row.params, row.macs, row.receptiveField], n.id).toEqual([n.outputShape, n.params, n.macs, n.receptiveField]);
        }
        if (analyzeNodes(item.rewrite, [...rw.added, ...rw.rewritten], (id) => byId.get(id))?.rows.get(rw.rewritten[0])?.receptiveField
          && JSON.stringify(got.rowOf(rw.rewritten[0])!.receptiveField) === JSON.stringify(byId.get(rw.rewritten[0])!.receptiveField)) partial++;
      }
    }), { numRuns: 200, seed: 23 });
    expect(items).toBeGreaterThan(50);
    expect(partial).toBeGreaterThan(20); // the partial path is taken, not only the fallback
  });

  it('analyses the nodes of a rewrite apart only where that is exact: none for a cycle or an input it lacks', () => {
    const b = new DesignBuilder('cycle');
    b.input([8, 8, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3 }, 'in', 'a');
    b.add('conv2d', { filters: 4, kernelSize: 3 }, 'a', 'b');
    const d = b.design();
    const rows = new Map(analyze(d).nodes.map((n) => [n.id, n]));
    expect(analyzeNodes(d, ['b'], (id) => rows.get(id))!.rows.get('b')).toMatchObject({ outputShape: [4, 4, 4], params: 148 });
    expect(analyzeNodes(d, ['b'], () => undefined)).toBeNull();
    expect(analyzeNodes({ ...d, edges: [...d.edges, { id: 'x', source: 'b', target: 'a' }] }, ['a', 'b'], (id) => rows.get(id))).toBeNull();
    expect(analyzeNodes(d, ['ghost'], (id) => rows.get(id))).toBeNull();
  });
});
