import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, analyzeJson } from './analyze.ts';
import { LAYER_KINDS } from './registry.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';

const kindNames = LAYER_KINDS.map((k) => k.kind);

/** Designs that look almost right: real kinds, plausible and hostile params, random wiring. */
const nearlyDesign = fc.record({
  format: fc.constant('convas.design'),
  version: fc.constant(1),
  name: fc.string(),
  nodes: fc.array(
    fc.record({
      id: fc.oneof(fc.constantFrom('a', 'b', 'c', 'd', 'e', '__proto__', 'constructor'), fc.string({ maxLength: 5 })),
      kind: fc.oneof(fc.constantFrom(...kindNames), fc.string({ maxLength: 8 })),
      params: fc.dictionary(
        fc.constantFrom('shape', 'filters', 'kernelSize', 'strides', 'padding', 'dilation', 'groups', 'units', 'poolSize', 'ceilMode', 'fn', 'rate', 'useBias', '__proto__'),
        fc.oneof(
          fc.integer({ min: -3, max: 40 }), fc.double(), fc.constantFrom('same', 'valid', 'relu', true),
          fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 4 }), fc.anything(),
        ),
      ),
    }, { requiredKeys: ['id', 'kind'] }),
    { maxLength: 8 },
  ),
  edges: fc.array(
    fc.record({ id: fc.string({ maxLength: 4 }), source: fc.constantFrom('a', 'b', 'c', 'd', 'e'), target: fc.constantFrom('a', 'b', 'c', 'd', 'e'), targetPort: fc.option(fc.integer({ min: -1, max: 3 }), { nil: undefined }) }),
    { maxLength: 10 },
  ),
});

describe('analysis never throws', () => {
  it('on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => { analyzeJson(v); }), { numRuns: 500 });
  });
  it('on arbitrary values, prototypes included', () => {
    fc.assert(fc.property(fc.anything({ withObjectString: true, withNullPrototype: true }), (v) => { analyzeJson(v); }), { numRuns: 300 });
  });
  it('on nearly valid designs, and every node gets a row; an invalid node has no numbers', () => {
    fc.assert(fc.property(nearlyDesign, (d) => {
      const r = analyzeJson(d);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const a = r.analysis;
      expect(a.valid).toBe(a.errors.length === 0);
      for (const n of a.nodes) {
        if (n.outputShape === null) expect([n.params, n.macs]).toEqual([0, 0]);
        expect(Number.isSafeInteger(n.params) && Number.isSafeInteger(n.macs)).toBe(true);
      }
    }), { numRuns: 1000 });
  });
});

describe('shape rule', () => {
  it('agrees with ⌊(in + 2p − d·(k−1) − 1)/s⌋ + 1 for random k, s, p, d', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 4 }),
      (inp, k, s, p, d) => {
        const b = new DesignBuilder();
        b.input([inp, inp, 2]);
        const id = b.add('conv2d', { filters: 3, kernelSize: k, strides: s, padding: p, dilation: d });
        const row = analyze(b.design()).nodes.find((n) => n.id === id)!;
        const expected = Math.floor((inp + 2 * p - d * (k - 1) - 1) / s) + 1;
        if (expected < 1) expect(row.outputShape).toBeNull();
        else expect(row.outputShape).toEqual([expected, expected, 3]);
      },
    ), { numRuns: 500 });
  });

  it("'same' gives ceil(in / s) and pads at most one more pixel after than before", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 5 }), (inp, k, s) => {
      const b = new DesignBuilder();
      b.input([inp, inp, 1]);
      const id = b.add('maxPool2d', { poolSize: k, strides: s, padding: 'same' });
      const row = analyze(b.design()).nodes.find((n) => n.id === id)!;
      expect(row.outputShape).toEqual([Math.ceil(inp / s), Math.ceil(inp / s), 1]);
      const total = Math.max((Math.ceil(inp / s) - 1) * s + k - inp, 0);
      expect(row.receptiveField!.padding[0]).toBe(Math.floor(total / 2));
    }), { numRuns: 300 });
  });
});

describe('receptive field of a chain', () => {
  it('equals the closed form r = 1 + Σ(k_l − 1)·Π s_i, j = Π s, P = Σ p_l·Π s_i (Araujo et al.)', () => {
    const layer = fc.record({ k: fc.integer({ min: 1, max: 7 }), s: fc.integer({ min: 1, max: 3 }), p: fc.integer({ min: 0, max: 3 }), d: fc.integer({ min: 1, max: 3 }) })
      .map((l) => (l.s > 1 ? { ...l, d: 1 } : l)); // dilation with stride is an error (tfjs cannot run it)
    fc.assert(fc.property(fc.array(layer, { minLength: 1, maxLength: 8 }), (layers) => {
      // Only chains whose windows fit the 4096-pixel input.
      let fm = 4096;
      for (const l of layers) {
        const span = fm + 2 * l.p - l.d * (l.k - 1) - 1;
        fc.pre(span >= 0);
        fm = Math.floor(span / l.s) + 1;
      }
      const b = new DesignBuilder();
      b.input([4096, 4096, 1]);
      for (const l of layers) b.add('conv2d', { filters: 1, kernelSize: l.k, strides: l.s, padding: l.p, dilation: l.d });
      const last = analyze(b.design()).nodes.at(-1)!;
      let size = 1, stride = 1, pad = 0;
      for (const l of layers) {
        size += l.d * (l.k - 1) * stride;
        pad += l.p * stride;
        stride *= l.s;
      }
      expect(last.receptiveField).toEqual({ size: [size, size], stride: [stride, stride], padding: [pad, pad] });
    }), { numRuns: 300 });
  });
});
