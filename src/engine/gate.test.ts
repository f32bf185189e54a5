/**
 * Squeeze-and-excitation's pieces in the analysis (docs/design-format.md#layer-kinds, docs/receptive-field.md#global-paths): `multiply`'s shapes (one shape, or an [H, W, C]
 * map gated by [1, 1, C] or [C]), the global pools' `keepDims`, and receptive fields through a gate: the spatial
 * paths' window with `global: true` where a global path joins, null where only global paths reach, rule 5 silent
 * on a global field. The expected fields are worked by hand from the layers' windows; PyTorch's gradients check
 * the same fields in src/drivers/import/gate-kinds.test.ts.
 */

import { describe, expect, it } from 'vitest';
import { advise } from './advice.ts';
import { analyze } from './analyze.ts';
import { formatRfSize } from '../contract/format.ts';
import { mergeRf } from './receptive-field.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import type { Design, Shape } from '../contract/types.ts';

const rows = (d: Design) => new Map(analyze(d).nodes.map((n) => [n.id, n]));

/** `a` and `b` from inputs of the given shapes (each a conv 1×1 or a dense, so any shape can be made) → multiply. */
function product(...shapes: Shape[]) {
  const b = new DesignBuilder();
  b.input([6, 5, 3]);
  const ins = shapes.map((s, i) => {
    if (s.length === 1) return b.add('dense', { units: s[0] }, b.add('flatten', {}, 'in', `f${i}`), `x${i}`);
    const pooled = s[0] === 6 ? 'in' : b.add('avgPool2d', { poolSize: [6 / s[0], 5 / s[1]] }, 'in', `p${i}`);
    return b.add('conv2d', { filters: s[2], kernelSize: 1 }, pooled, `x${i}`);
  });
  b.add('multiply', {}, ins, 'm');
  const a = analyze(b.design());
  return { row: a.nodes.find((n) => n.id === 'm')!, errors: a.errors.map((e) => e.message) };
}

describe('multiply', () => {
  it('multiplies inputs of one shape, an image or a flat vector: that shape, 0 params, 0 MACs', () => {
    const r = product([6, 5, 4], [6, 5, 4], [6, 5, 4]).row;
    expect([r.outputShape, r.params, r.trainableParams, r.nonTrainableParams, r.macs]).toEqual([[6, 5, 4], 0, 0, 0, 0]);
    expect(product([7], [7]).row.outputShape).toEqual([7]);
  });

  it('gates an [H, W, C] map with [1, 1, C] or [C] factors, in either input order: the map\'s shape', () => {
    expect(product([6, 5, 4], [1, 1, 4]).row.outputShape).toEqual([6, 5, 4]);
    expect(product([1, 1, 4], [6, 5, 4]).row.outputShape).toEqual([6, 5, 4]);
    expect(product([4], [6, 5, 4]).row.outputShape).toEqual([6, 5, 4]);
    expect(product([6, 5, 4], [1, 1, 4], [4]).row.outputShape).toEqual([6, 5, 4]);
    expect(product([1, 1, 4], [4]).row.outputShape).toEqual([1, 1, 4]);
    expect(product([6, 5, 4], [1, 1, 4]).row.macs).toBe(0);
  });

  it('refuses a gate of other channels, a gate that is not 1×1, and maps of two sizes, naming the inputs', () => {
    expect(product([6, 5, 4], [1, 1, 3]).errors).toEqual([
      "inputs must have the shape 6×5×4, or a gate of one value per channel (1×1×4 or 4); got 6×5×4, 1×1×3 (input 2 fits neither)",
    ]);
    expect(product([6, 5, 4], [3, 5, 4]).errors[0]).toContain('got 6×5×4, 3×5×4 (input 2 fits neither)');
    expect(product([6, 5, 4], [5]).errors[0]).toContain('(input 2 fits neither)');
    expect(product([7], [6]).errors[0]).toContain('inputs must have the shape 7; got 7, 6 (input 2 fits neither)');
  });
});

describe('keepDims on the global pools', () => {
  it.each(['globalAvgPool', 'globalMaxPool'])('%s gives [C] by default and [1, 1, C] with keepDims, no field either way', (kind) => {
    const b = new DesignBuilder();
    b.input([7, 9, 5]);
    b.add(kind, {}, 'in', 'flat');
    b.add(kind, { keepDims: true }, 'in', 'kept');
    const r = rows(b.design());
    expect([r.get('flat')!.outputShape, r.get('kept')!.outputShape]).toEqual([[5], [1, 1, 5]]);
    expect([r.get('flat')!.receptiveField, r.get('kept')!.receptiveField, r.get('kept')!.params, r.get('kept')!.macs]).toEqual([null, null, 0, 0]);
  });
});

/**
 * in 16×16 → conv 3×3 same (c: field 3, stride 1, padding 1) → SE gate (pool keepDims → 1×1 relu → 1×1 sigmoid)
 * → multiply (m) → conv 3×3 same (after: field 5, padding 2) → add with c (res) → global pool (head).
 */
function se(gate: 'kept' | 'flat'): Design {
  const b = new DesignBuilder('se');
  b.input([16, 16, 3]);
  b.add('conv2d', { filters: 8, kernelSize: 3, padding: 'same' }, 'in', 'c');
  if (gate === 'kept') {
    b.add('globalAvgPool', { keepDims: true }, 'c', 'squeeze');
    b.add('conv2d', { filters: 2, kernelSize: 1, activation: 'relu' }, 'squeeze', 'fc1');
    b.add('conv2d', { filters: 8, kernelSize: 1, activation: 'sigmoid' }, 'fc1', 'fc2');
  } else {
    b.add('globalAvgPool', {}, 'c', 'squeeze');
    b.add('dense', { units: 2, activation: 'relu' }, 'squeeze', 'fc1');
    b.add('dense', { units: 8, activation: 'sigmoid' }, 'fc1', 'fc2');
  }
  b.add('multiply', {}, ['c', 'fc2'], 'm');
  b.add('conv2d', { filters: 8, kernelSize: 3, padding: 'same' }, 'm', 'after');
  b.add('add', {}, ['after', 'c'], 'res');
  b.add('globalAvgPool', {}, 'res', 'head');
  return b.design();
}

describe('receptive fields through a gate (docs/receptive-field.md#global-paths)', () => {
  it.each(['kept', 'flat'] as const)('a %s gate: the spatial window with global, carried on through convs and merges; null on the gate itself and after the head', (gate) => {
    const r = rows(se(gate));
    for (const id of ['squeeze', 'fc1', 'fc2', 'head']) expect(r.get(id)!.receptiveField, id).toBeNull();
    expect(r.get('c')!.receptiveField).toEqual({ size: [3, 3], stride: [1, 1], padding: [1, 1] });
    expect(r.get('m')!.receptiveField).toEqual({ size: [3, 3], stride: [1, 1], padding: [1, 1], global: true });
    expect(r.get('after')!.receptiveField).toEqual({ size: [5, 5], stride: [1, 1], padding: [2, 2], global: true });
    // the add joins a global path and a spatial one: the covering window of both, still global
    expect(r.get('res')!.receptiveField).toEqual({ size: [5, 5], stride: [1, 1], padding: [2, 2], global: true });
    expect(formatRfSize(r.get('m'))).toBe('3×3 + global');
    expect(formatRfSize(r.get('c'))).toBe('3×3');
  });

  it('a node only global paths reach reports null: a [1, 1, C] gate times a [C] one', () => {
    const b = new DesignBuilder();
    b.input([8, 8, 4]);
    b.add('globalAvgPool', { keepDims: true }, 'in', 'k');
    b.add('globalMaxPool', {}, 'in', 'f');
    b.add('multiply', {}, ['k', 'f'], 'm');
    b.add('conv2d', { filters: 4, kernelSize: 1 }, 'm', 'c');
    const r = rows(b.design());
    expect([r.get('m')!.outputShape, r.get('m')!.receptiveField, r.get('c')!.receptiveField]).toEqual([[1, 1, 4], null, null]);
  });

  it('a [1, 1, C] gate with a field of its own (a valid conv down to 1×1) is broadcast: its window does not move with the unit, so it joins as a global path', () => {
    const b = new DesignBuilder();
    b.input([9, 9, 4]);
    b.add('conv2d', { filters: 4, kernelSize: 9 }, 'in', 'g'); // [1, 1, 4], field 9×9
    b.add('multiply', {}, ['in', 'g'], 'm');
    expect(rows(b.design()).get('m')!.receptiveField).toEqual({ size: [1, 1], stride: [1, 1], padding: [0, 0], global: true });
  });

  it('merging fields: null entries are global paths; all null stays null; a global spatial path keeps the mark', () => {
    const f = { size: [3, 3], stride: [1, 1], padding: [1, 1] } as const;
    const g = { size: [5, 5], stride: [2, 2], padding: [0, 0] } as const;
    const rf = (x: typeof f | typeof g) => ({ size: [...x.size], stride: [...x.stride], padding: [...x.padding] } as { size: [number, number]; stride: [number, number]; padding: [number, number] });
    expect(mergeRf([rf(f), null])).toEqual({ ...rf(f), global: true });
    expect(mergeRf([null, null])).toBeNull();
    expect(mergeRf([rf(f), rf(g)])).toEqual({ size: [6, 6], stride: [2, 2], padding: [1, 1] });
    expect(mergeRf([{ ...rf(f), global: true }, rf(g)])).toEqual({ size: [6, 6], stride: [2, 2], padding: [1, 1], global: true });
  });

  it('rule 5 does not fire on a node with a global field (its units depend on every pixel), though its window is smaller than the input', () => {
    const b = new DesignBuilder();
    b.input([32, 32, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3 }, 'in', 'c');
    b.add('globalAvgPool', { keepDims: true }, 'c', 'squeeze');
    b.add('conv2d', { filters: 4, kernelSize: 1, activation: 'sigmoid' }, 'squeeze', 'excite');
    b.add('multiply', {}, ['c', 'excite'], 'm'); // an output: 3×3 of 32×32, but global
    const coverage = (d: Design) => advise(d, analyze(d)).filter((a) => a.rule === 'receptive-field-coverage').map((a) => a.nodeId);
    expect(rows(b.design()).get('m')!.receptiveField?.global).toBe(true);
    expect(coverage(b.design())).toEqual([]);
    // the same output without the gate's global path is advised
    const plain = new DesignBuilder();
    plain.input([32, 32, 3]);
    plain.add('conv2d', { filters: 4, kernelSize: 3 }, 'in', 'c');
    plain.add('multiply', {}, ['c', 'c'], 'm');
    expect(coverage(plain.design())).toEqual(['m']);
  });
});
