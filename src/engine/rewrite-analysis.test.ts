/**
 * The advice's analysis of a rewrite (rewrite-analysis.ts) against a full `analyze` of the rewritten copy, on random
 * designs (valid, and invalid by a piece no input reaches) and every rewrite the advice makes there, of every rule:
 * the same totals, validity, fields and rows of the nodes it changes; and the advice made from parts of the design
 * the same, item for item, as the advice made from whole copies.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import { ADVICE_RULES, adviceAt, adviseDetailed, type AdviceRule } from './advice.ts';
import { analyze, analyzeNodes } from './analyze.ts';
import { analyzeRewrite, sameField } from './rewrite-analysis.ts';
import type { Design } from '../contract/types.ts';

const layerArb = fc.oneof(
  fc.record({ kind: fc.constant('conv2d'), k: fc.constantFrom(1, 3, 5, 7), filters: fc.constantFrom(8, 32, 96), strides: fc.constantFrom(1, 1, 2), dilation: fc.constantFrom(1, 1, 2), pad: fc.constantFrom('same', 'valid'), useBias: fc.boolean() }),
  fc.record({ kind: fc.constant('conv2dTranspose'), k: fc.constantFrom(2, 3, 4, 5), filters: fc.constantFrom(8, 16), strides: fc.constantFrom(1, 2, 3), pad: fc.constantFrom('same', 'valid'), useBias: fc.boolean() }),
  fc.constantFrom({ kind: 'batchNorm' }, { kind: 'relu' }, { kind: 'maxPool2d' }),
  fc.record({ kind: fc.constant('branch'), k: fc.constantFrom(1, 3, 5), merge: fc.constantFrom('add', 'concat') }),
);

const designArb = fc.record({
  size: fc.integer({ min: 9, max: 33 }),
  channels: fc.constantFrom(3, 16, 64),
  layers: fc.array(layerArb, { minLength: 1, maxLength: 8 }),
  head: fc.constantFrom('gap', 'flatten', 'none'),
  // a conv that no input reaches makes the design invalid: the rewrites elsewhere are still analysed apart
  lone: fc.boolean(),
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
  const d = b.design();
  if (spec.lone) d.nodes.push({ id: 'lone', kind: 'conv2d', params: { filters: 8, kernelSize: 5, padding: 'same' } });
  return d;
}

describe('the analysis of an advised rewrite', () => {
  it('equals a full analysis of the rewritten copy: totals, validity, receptive fields, the rows it changes (property)', () => {
    let items = 0;
    let partial = 0;
    let invalid = 0;
    const rules = new Set<AdviceRule>();
    fc.assert(fc.property(designArb, (spec) => {
      const d = build(spec);
      const before = analyze(d);
      const byId = new Map(before.nodes.map((n) => [n.id, n]));
      const detailed = adviseDetailed(d, before, { rewrites: true });
      // made from parts, without the copies: the same items (deltas, messages, added ids, fields)
      expect(adviseDetailed(d, before)).toEqual(detailed.map((item) => ({ ...item, rewrite: null })));
      for (const item of detailed) {
        rules.add(item.rule);
        expect(adviceAt(d, before, item.rule, item.nodeId)).toEqual(item);
        if (!item.rewrite || item.rule === 'branch-order') continue;
        items++;
        if (!before.valid) invalid++;
        const whole = item.rewrite;
        const rw = { rewritten: item.rewritten, added: item.added, part: whole, whole: () => whole };
        const got = analyzeRewrite(before, byId, rw, true);
        const full = analyze(whole);
        const fullById = new Map(full.nodes.map((n) => [n.id, n]));
        expect([got.params, got.macs, got.valid]).toEqual([full.totals.params, full.totals.macs, full.valid]);
        expect([item.paramsDelta, item.macsDelta]).toEqual([full.totals.params - before.totals.params, full.totals.macs - before.totals.macs]);
        const kept = before.nodes.every((n) => sameField(n.receptiveField, fullById.get(n.id)!.receptiveField));
        expect(got.sameFields).toBe(kept);
        expect(item.sameReceptiveField).toBe(kept);
        for (const id of [...item.rewritten, ...item.added]) {
          const [row, n] = [got.rowOf(id)!, fullById.get(id)!];
          expect([row.outputShape, row.params, row.macs, row.receptiveField], id).toEqual([n.outputShape, n.params, n.macs, n.receptiveField]);
        }
        const now = analyzeNodes(whole, [...rw.added, ...rw.rewritten], (id) => byId.get(id))?.rows.get(rw.rewritten[0]);
        if (now?.outputShape && JSON.stringify(now.outputShape) === JSON.stringify(byId.get(rw.rewritten[0])!.outputShape)) partial++;
      }
    }), { numRuns: 200, seed: 23 });
    expect(items).toBeGreaterThan(50);
    expect(partial).toBeGreaterThan(20); // the partial path is taken, not only the fallback
    expect(invalid).toBeGreaterThan(10); // and on invalid designs too
    expect([...rules].sort()).toEqual(ADVICE_RULES.filter((r) => r !== 'branch-order').sort());
  });

  it("gives the added layers the ids the whole edit gives, past ids the design already uses and ids cut to the id rules' length", () => {
    const long = 'c'.repeat(64);
    for (const [id, taken] of [['x', ['x_3x3_1', 'x_3x3_2', 'x_dw']], [long, [`${'c'.repeat(56)}`, `${'c'.repeat(56)}_2`]]] as const) {
      const b = new DesignBuilder('ids');
      b.input([16, 16, 64]);
      b.add('conv2d', { filters: 64, kernelSize: 7, padding: 'same' }, 'in', id);
      for (const t of taken) b.add('activation', { fn: 'relu' }, id, t);
      const d = b.design();
      const a = analyze(d);
      const fast = adviseDetailed(d, a).filter((x) => x.rule !== 'receptive-field-coverage');
      expect(fast.map((x) => x.rule)).toEqual(['factorize-kernel', 'bottleneck-1x1', 'depthwise-separable']);
      for (const item of fast) {
        const full = adviceAt(d, a, item.rule, item.nodeId)!;
        expect(item.added).toEqual(full.added);
        // the ids are new ones, in the order of the copy's nodes
        expect(full.rewrite!.nodes.map((n) => n.id).filter((n) => !d.nodes.some((m) => m.id === n))).toEqual(item.added);
      }
      if (id === 'x') expect(fast[0].added).toEqual(['x_3x3_3', 'x_3x3_4']);
    }
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
