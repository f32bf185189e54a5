import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ParamsMemo, validateParams } from '../contract/params.ts';
import { getLayerKind } from './registry.ts';

const conv = getLayerKind('conv2d')!.params;
const activation = getLayerKind('activation')!.params;

/** Values a file or the editor may put in a param, those JSON cannot tell apart included (NaN and null, −0 and 0). */
const value = fc.oneof(
  fc.constantFrom(1, 2, 3, 0, -0, -1, 1.5, NaN, Infinity, null, undefined, 'same', 'valid', 'relu', 'x', true, false),
  fc.constantFrom([3, 3], [1, 2], [0, -0], [-0, 0], [NaN, 1], [3], [3, 3, 3]),
);
/** Mostly valid conv params (a required filters and kernel size first), so that equal ones recur and hit the memo. */
const rawParams = fc.tuple(
  fc.record({ filters: fc.constantFrom(8, 16), kernelSize: fc.constantFrom(3, [3, 3]) }),
  fc.dictionary(fc.constantFrom('filters', 'strides', 'padding', 'useBias', 'activation', 'groups', 'extra'), value, { maxKeys: 2 }),
).map(([base, more]) => ({ ...base, ...more }));

describe('ParamsMemo: validateParams once for layers written alike', () => {
  it('gives what validateParams gives, on any sequence of params (property)', () => {
    let shared = 0;
    fc.assert(fc.property(fc.array(rawParams, { minLength: 1, maxLength: 40 }), (list) => {
      const memo = new ParamsMemo();
      const seen = new Set<object>();
      for (const raw of list) {
        // a fresh copy each time: a memo hit must come from equal values, not from the same object
        const copy = JSON.parse(JSON.stringify(raw, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? `#${v}` : Object.is(v, -0) ? '#-0' : v)),
          (_k, v) => (v === '#NaN' ? NaN : v === '#Infinity' ? Infinity : v === '#-0' ? -0 : v));
        const r = memo.validate(conv, copy);
        expect(r).toEqual(validateParams(conv, copy));
        if (r.params && seen.has(r.params)) shared++;
        if (r.params) seen.add(r.params);
      }
    }), { numRuns: 300 });
    expect(shared).toBeGreaterThan(50); // the memo was used, not only filled
  });

  it('shares one frozen result between equal params, and tells −0 from 0 and NaN from null', () => {
    const memo = new ParamsMemo();
    const a = memo.validate(conv, { filters: 8, kernelSize: [3, 3] }).params!;
    const b = memo.validate(conv, { filters: 8, kernelSize: [3, 3] }).params!;
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen((a as Record<string, unknown>).kernelSize)).toBe(true);
    expect(memo.validate(conv, { filters: 8, kernelSize: [3, 3], useBias: false }).params).not.toBe(a);
    const zero = memo.validate(conv, { filters: 8, kernelSize: 3, padding: [0, 0] }).params!;
    const minusZero = memo.validate(conv, { filters: 8, kernelSize: 3, padding: [-0, 0] }).params!;
    expect(minusZero).not.toBe(zero);
    expect(Object.is(((minusZero as Record<string, unknown>).padding as number[])[0], -0)).toBe(true);
    expect(memo.validate(activation, { fn: 'leakyRelu', alpha: NaN }).issues).toEqual(validateParams(activation, { fn: 'leakyRelu', alpha: NaN }).issues);
    expect(memo.validate(activation, { fn: 'leakyRelu', alpha: null }).issues).toEqual(validateParams(activation, { fn: 'leakyRelu', alpha: null }).issues);
  });

  it('keys each result by its schema: the same raw params of another kind validate on their own', () => {
    const memo = new ParamsMemo();
    expect(memo.validate(conv, {}).params).toBeNull(); // filters is required
    expect(memo.validate(activation, {}).params).toEqual(validateParams(activation, {}).params);
  });
});
