/**
 * The five advice rules (docs/advice.md#rules), table by table: where each must fire with its deltas worked out by
 * hand (the arithmetic is written out in each row), and where it must not. A property test then checks, on
 * random designs, that every advised rewrite keeps the shapes leaving the rewritten nodes and (rule 1) every
 * receptive field.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adviseDetailed, advise, bottleneckWidth, type AdviceRule } from './advice.ts';
import { analyze } from './analyze.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import type { Design } from '../contract/types.ts';

const adviceOf = (d: Design, rule?: AdviceRule) => advise(d, analyze(d)).filter((a) => !rule || a.rule === rule);

/** input → one layer `x` (with params) → globalAvgPool, so rule 5 stays out of the way unless asked */
function single(shape: number[], kind: string, params: Record<string, unknown>): Design {
  const b = new DesignBuilder('single');
  b.input(shape);
  b.add(kind, params, 'in', 'x');
  b.add('globalAvgPool', {}, 'x', 'gap');
  return b.design();
}

describe('rule 1, factorize-kernel', () => {
  const conv = (p: Record<string, unknown>) => ({ filters: 64, useBias: true, activation: 'relu', ...p });
  it.each([
    ['5×5 same, 64 → 64 on 56×56', [56, 56, 64], conv({ kernelSize: 5, padding: 'same' }),
      2 * (9 * 64 * 64 + 64) - (25 * 64 * 64 + 64), 56 * 56 * 64 * 64 * (2 * 9 - 25)],
    ['5×5 explicit padding 2', [20, 20, 64], conv({ kernelSize: 5, padding: 2 }),
      2 * (9 * 64 * 64 + 64) - (25 * 64 * 64 + 64), 20 * 20 * 64 * 64 * (2 * 9 - 25)],
    ['7×7 valid, 32 → 32, no bias', [20, 20, 32], { filters: 32, kernelSize: 7, useBias: false },
      3 * 9 * 32 * 32 - 49 * 32 * 32, 32 * 32 * 9 * (18 * 18 + 16 * 16 + 14 * 14) - 14 * 14 * 32 * 32 * 49],
    ['7×7 as a pair [7, 7], padding [3, 3]', [14, 14, 48], { filters: 48, kernelSize: [7, 7], padding: [3, 3] },
      3 * (9 * 48 * 48 + 48) - (49 * 48 * 48 + 48), 14 * 14 * 48 * 48 * (27 - 49)],
  ])('fires: %s', (_what, shape, params, paramsDelta, macsDelta) => {
    const d = single(shape as number[], 'conv2d', params as Record<string, unknown>);
    expect(adviceOf(d, 'factorize-kernel')).toEqual([
      expect.objectContaining({ nodeId: 'x', rule: 'factorize-kernel', paramsDelta, macsDelta }),
    ]);
  });

  it.each([
    ['3×3 (k < 5)', conv({ kernelSize: 3, padding: 'same' })],
    ['4×4 (even)', conv({ kernelSize: 4, padding: 'same' })],
    ['5×3 (not square)', conv({ kernelSize: [5, 3], padding: 'same' })],
    ['stride 2', conv({ kernelSize: 5, padding: 'same', strides: 2 })],
    ['dilation 2', conv({ kernelSize: 5, padding: 'same', dilation: 2 })],
    ['groups 2', conv({ kernelSize: 5, padding: 'same', groups: 2 })],
    ['padding 1 (not (k−1)/2)', conv({ kernelSize: 5, padding: 1 })],
    ['padding [2, 1]', conv({ kernelSize: 5, padding: [2, 1] })],
    ['padding 2 on a 7×7', conv({ kernelSize: 7, padding: 2 })],
  ])('does not fire: %s', (_what, params) => {
    expect(adviceOf(single([32, 32, 64], 'conv2d', params), 'factorize-kernel')).toEqual([]);
  });

  it('does not fire where the 3×3 stack costs more (3 → 64 channels: 25·3·64 + 64 < 9·3·64 + 64 + 9·64·64 + 64)', () => {
    expect(adviceOf(single([32, 32, 3], 'conv2d', conv({ kernelSize: 5, padding: 'same' })), 'factorize-kernel')).toEqual([]);
  });

  it("says the 5×5 → two 3×3 saving as a student reads it, and rewrites with the conv's bias and activation", () => {
    const d = single([56, 56, 64], 'conv2d', conv({ kernelSize: 5, padding: 'same' }));
    const [item] = adviseDetailed(d, analyze(d), { rewrites: true }).filter((a) => a.rule === 'factorize-kernel');
    expect(item.saving).toBe('−28,608 params (−28% of x, −28% of the network), −89,915,392 MACs, same receptive field');
    const added = item.rewrite!.nodes.find((n) => n.id === item.added[0])!;
    expect(added).toMatchObject({ kind: 'conv2d', params: { filters: 64, kernelSize: 3, padding: 'same', useBias: true, activation: 'relu' } });
    expect(item.rewrite!.nodes.find((n) => n.id === 'x')!.params).toMatchObject({ kernelSize: 3, padding: 'same' });
    expect(d.nodes.find((n) => n.id === 'x')!.params.kernelSize).toBe(5); // the design itself is untouched
  });
});

describe('rule 2, bottleneck-1x1', () => {
  it.each([
    [8, 8], [48, 16], [63, 16], [64, 16], [80, 24], [100, 24], [112, 32], [256, 64], [512, 128],
  ])('R(Cin = %i) = %i, i.e. max(8, 8·⌊Cin/32 + ½⌋)', (cin, r) => {
    expect(bottleneckWidth(cin)).toBe(r);
  });

  /** input (H×W×cin) → [walk] → 3×3 conv named x → globalAvgPool */
  function afterChain(cin: number, before: [string, Record<string, unknown>][], conv: Record<string, unknown>) {
    const b = new DesignBuilder('chain');
    b.input([16, 16, cin]);
    for (const [kind, params] of before) b.add(kind, params);
    b.add('conv2d', { kernelSize: 3, padding: 'same', ...conv }, b.last, 'x');
    b.add('globalAvgPool', {}, 'x', 'gap');
    return b.design();
  }

  it.each([
    ['3×3, 64 → 64 straight on the input', 64, [], { filters: 64 },
      64 * 16 + 16 + 9 * 16 * 64 + 64 - (9 * 64 * 64 + 64), 16 * 16 * (64 * 16 + 9 * 16 * 64 - 9 * 64 * 64)],
    ['no bias, 128 → 32, after a 3×3 conv, batch norm, relu and dropout', 64,
      [['conv2d', { filters: 128, kernelSize: 3, padding: 'same' }], ['batchNorm', {}], ['activation', { fn: 'relu' }], ['dropout', { rate: 0.2 }]],
      { filters: 32, useBias: false }, 128 * 32 + 9 * 32 * 32 - 9 * 128 * 32, 16 * 16 * (128 * 32 + 9 * 32 * 32 - 9 * 128 * 32)],
    ['a 1×1 conv behind a max pool does not count', 64,
      [['conv2d', { filters: 96, kernelSize: 1 }], ['maxPool2d', { poolSize: 3, strides: 1, padding: 'same' }]],
      { filters: 96 }, 96 * 24 + 24 + 9 * 24 * 96 + 96 - (9 * 96 * 96 + 96), 16 * 16 * (96 * 24 + 9 * 24 * 96 - 9 * 96 * 96)],
    ['exactly −25%: 4×4, 64 → 2, no bias: −512 of 2,048', 64, [], { filters: 2, kernelSize: 4, useBias: false },
      64 * 16 + 16 * 16 * 2 - 16 * 64 * 2, 16 * 16 * (64 * 16 + 16 * 16 * 2 - 16 * 64 * 2)],
    ['3×3 with 4 filters: −688 is ≤ −25% of 2,308', 64, [], { filters: 4 },
      64 * 16 + 16 + 9 * 16 * 4 + 4 - (9 * 64 * 4 + 4), 16 * 16 * (64 * 16 + 9 * 16 * 4 - 9 * 64 * 4)],
  ])('fires: %s', (_what, cin, before, conv, paramsDelta, macsDelta) => {
    const d = afterChain(cin as number, before as [string, Record<string, unknown>][], conv as Record<string, unknown>);
    expect(adviceOf(d, 'bottleneck-1x1').filter((a) => a.nodeId === 'x')).toEqual([
      expect.objectContaining({ nodeId: 'x', rule: 'bottleneck-1x1', paramsDelta, macsDelta }),
    ]);
  });

  it.each([
    ['Cin 63 < 64', 63, [], { filters: 64 }],
    ['3 filters: −256 is negative but above −25% of 1,731', 64, [], { filters: 3 }],
    ['2 filters: the 1×1 costs more than it saves', 64, [], { filters: 2 }],
    ['groups 2', 64, [], { filters: 64, groups: 2 }],
    ['a 2×2 kernel (area 4 < 9)', 64, [], { filters: 64, kernelSize: 2 }],
    ['right after a 1×1 conv', 64, [['conv2d', { filters: 64, kernelSize: 1 }]], { filters: 64 }],
    ['after a 1×1 conv, batch norm, relu and dropout', 64,
      [['conv2d', { filters: 64, kernelSize: 1 }], ['batchNorm', {}], ['activation', { fn: 'relu' }], ['dropout', { rate: 0.5 }]], { filters: 64 }],
  ])('does not fire: %s', (_what, cin, before, conv) => {
    const d = afterChain(cin as number, before as [string, Record<string, unknown>][], conv as Record<string, unknown>);
    expect(adviceOf(d, 'bottleneck-1x1').filter((a) => a.nodeId === 'x')).toEqual([]);
  });

  it('inserts a 1×1 with R filters, the conv\'s useBias and relu, right before the conv', () => {
    const d = afterChain(80, [], { filters: 64, useBias: false });
    const [item] = adviseDetailed(d, analyze(d), { rewrites: true }).filter((a) => a.rule === 'bottleneck-1x1');
    const added = item.rewrite!.nodes.find((n) => n.id === item.added[0])!;
    expect(added).toMatchObject({ kind: 'conv2d', params: { filters: 24, kernelSize: 1, useBias: false, activation: 'relu' } });
    expect(item.rewrite!.edges.filter((e) => e.target === 'x').map((e) => e.source)).toEqual([added.id]);
    expect(item.rewrite!.edges.filter((e) => e.target === added.id).map((e) => e.source)).toEqual(['in']);
  });
});

describe('rule 3, global-pool-head', () => {
  /** input → 1×1 conv to H×W×C → flatten → [between] → dense(units) */
  function head(shape: number[], between: [string, Record<string, unknown>][], units: number) {
    const b = new DesignBuilder('head');
    b.input([shape[0], shape[1], 3]);
    b.add('conv2d', { filters: shape[2], kernelSize: 1 }, 'in', 'c');
    b.add('flatten', {}, 'c', 'f');
    for (const [kind, params] of between) b.add(kind, params);
    b.add('dense', { units }, b.last, 'fc');
    return b.design();
  }

  it.each([
    ['7×7×512 → dense 4096 (VGG)', [7, 7, 512], [], 4096, (512 - 7 * 7 * 512) * 4096],
    ['through dropout and relu', [4, 4, 32], [['dropout', { rate: 0.5 }], ['activation', { fn: 'relu' }]], 100, (32 - 16 * 32) * 100],
    ['through a batch norm (its 4·N params shrink too)', [2, 3, 10], [['batchNorm', {}]], 50, 4 * (10 - 60) + (10 - 60) * 50],
  ])('fires: %s', (_what, shape, between, units, paramsDelta) => {
    const d = head(shape as number[], between as [string, Record<string, unknown>][], units as number);
    const s = shape as number[];
    const macsDelta = (s[2] - s[0] * s[1] * s[2]) * (units as number);
    expect(adviceOf(d, 'global-pool-head')).toEqual([
      expect.objectContaining({ nodeId: 'f', rule: 'global-pool-head', paramsDelta, macsDelta }),
    ]);
  });

  it('does not fire on a 1×1 map, a flat input, a flatten with two consumers, a max pool on the way, or a small dense', () => {
    expect(adviceOf(head([1, 1, 512], [], 4096), 'global-pool-head')).toEqual([]);
    const flat = new DesignBuilder('flat');
    flat.input([100]);
    flat.add('flatten', {}, 'in', 'f');
    flat.add('dense', { units: 1000 }, 'f', 'fc');
    expect(adviceOf(flat.design(), 'global-pool-head')).toEqual([]);

    const two = head([7, 7, 64], [], 100);
    two.nodes.push({ id: 'fc2', kind: 'dense', params: { units: 10 } });
    two.edges.push({ id: 'e_two', source: 'f', target: 'fc2' });
    expect(adviceOf(two, 'global-pool-head')).toEqual([]);

    // the dense holds (7·7·8·2 + 2) of a design that also has a 3×3·3·4096 conv: under 10%
    const small = new DesignBuilder('small dense');
    small.input([7, 7, 3]);
    small.add('conv2d', { filters: 4096, kernelSize: 3, padding: 'same' }, 'in', 'big');
    small.add('conv2d', { filters: 8, kernelSize: 1 }, 'big', 'c');
    small.add('flatten', {}, 'c', 'f');
    small.add('dense', { units: 2 }, 'f', 'fc');
    expect(adviceOf(small.design(), 'global-pool-head')).toEqual([]);
  });

  it('fires at exactly 10% and not below', () => {
    // conv c: 1·1·3·F + F = 4F params; dense: 2·2·F·1 + 1 = 4F + 1. Add a padding conv so dense / total = 10% exactly.
    const build = (extra: number) => {
      const b = new DesignBuilder('ten');
      b.input([2, 2, 3]);
      b.add('conv2d', { filters: 9, kernelSize: 1 }, 'in', 'c'); // 36 params
      b.add('flatten', {}, 'c', 'f');
      b.add('dense', { units: 1, useBias: false }, 'f', 'fc'); // 36 params
      b.add('dense', { units: extra, useBias: false }, 'fc', 'tail'); // `extra` params
      return b.design();
    };
    expect(adviceOf(build(288), 'global-pool-head')).toHaveLength(1); // 36 / (36 + 36 + 288) = 10%
    expect(adviceOf(build(289), 'global-pool-head')).toEqual([]); // 36 / 361 < 10%
  });
});

describe('rule 4, bias-before-batchnorm', () => {
  it.each([
    ['conv2d', [8, 8, 3], { filters: 16, kernelSize: 3 }, -16],
    ['depthwiseConv2d', [8, 8, 6], { kernelSize: 3, depthMultiplier: 2 }, -12],
    ['dense', [20], { units: 7 }, -7],
    ['separableConv2d', [8, 8, 6], { filters: 5, kernelSize: 3 }, -5], // added since the contract: its pointwise bias
  ])('fires on a %s with a bias, linear, feeding only a batch norm', (kind, shape, params, paramsDelta) => {
    const b = new DesignBuilder('bias');
    b.input(shape as number[]);
    b.add(kind as string, params as Record<string, unknown>, 'in', 'x');
    b.add('batchNorm', {}, 'x', 'bn');
    expect(adviceOf(b.design(), 'bias-before-batchnorm')).toEqual([
      expect.objectContaining({ nodeId: 'x', rule: 'bias-before-batchnorm', paramsDelta, macsDelta: 0 }),
    ]);
  });

  it.each([
    ['no bias', { filters: 4, kernelSize: 3, useBias: false }, ['batchNorm']],
    ['a relu activation', { filters: 4, kernelSize: 3, activation: 'relu' }, ['batchNorm']],
    ['two consumers', { filters: 4, kernelSize: 3 }, ['batchNorm', 'activation']],
    ['an activation layer between it and the batch norm', { filters: 4, kernelSize: 3 }, ['activation']],
  ])('does not fire: %s', (_what, params, consumers) => {
    const b = new DesignBuilder('bias');
    b.input([8, 8, 3]);
    b.add('conv2d', params, 'in', 'x');
    consumers.forEach((k, i) => b.add(k, k === 'activation' ? { fn: 'relu' } : {}, 'x', `n${i}`));
    if (consumers[0] === 'activation') b.add('batchNorm', {}, 'n0', 'bn');
    expect(adviceOf(b.design(), 'bias-before-batchnorm')).toEqual([]);
  });
});

describe('rule 5, receptive-field-coverage', () => {
  it('fires on the input of a global pool and on an output that see less than the input, with the sizes in the message', () => {
    // (c1 feeds only the pool, which has no field; c2 feeds nothing)
    const b = new DesignBuilder('rf');
    b.input([32, 32, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3 }, 'in', 'c1'); // field 3×3
    b.add('globalAvgPool', {}, 'c1', 'gap');
    b.add('conv2d', { filters: 4, kernelSize: 7 }, 'in', 'c2'); // an output node, field 7×7
    const items = adviceOf(b.design(), 'receptive-field-coverage');
    expect(items.map((a) => [a.nodeId, a.paramsDelta, a.macsDelta])).toEqual([['c1', 0, 0], ['c2', 0, 0]]);
    expect(items[0].message).toContain('3×3');
    expect(items[0].message).toContain('32×32');
    expect(items[1].message).toContain('7×7');
  });

  it('does not fire where the field covers the input, nor on a node that feeds one with a field', () => {
    const b = new DesignBuilder('rf');
    b.input([5, 7, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, 'in', 'c1'); // 3×3, feeds c2: never
    b.add('conv2d', { filters: 4, kernelSize: 5, padding: 'same' }, 'c1', 'c2'); // 7×7 ≥ 5×7
    b.add('flatten', {}, 'c2', 'f');
    expect(adviceOf(b.design(), 'receptive-field-coverage')).toEqual([]);
  });

  it('fires when only one axis is short', () => {
    const b = new DesignBuilder('rf');
    b.input([5, 9, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 7, padding: 'same' }, 'in', 'c'); // 7×7: covers H 5, not W 9
    expect(adviceOf(b.design(), 'receptive-field-coverage').map((a) => a.nodeId)).toEqual(['c']);
  });
});

describe('rule 6, depthwise-separable', () => {
  // params of a k×k conv Cin → Cout (with bias) against a depthwise k×k (no bias) + a 1×1 Cin → Cout (with bias)
  const conv = (k: number, cin: number, cout: number, bias = true) => k * cin * cout + (bias ? cout : 0);
  const separable = (k: number, cin: number, cout: number, bias = true) => k * cin + cin * cout + (bias ? cout : 0);

  it.each([
    ['3×3 same, 64 → 64 on 16×16', [16, 16, 64], { filters: 64, kernelSize: 3, padding: 'same' }, 9, 64, 64, 16 * 16],
    ['exactly Cin 32, 3×3 valid, 32 → 16, no bias', [10, 10, 32], { filters: 16, kernelSize: 3, useBias: false }, 9, 32, 16, 8 * 8],
    ['a 1×9 kernel (area 9), 48 → 48', [12, 12, 48], { filters: 48, kernelSize: [1, 9], padding: 'same' }, 9, 48, 48, 12 * 12],
    ['5×5 stride 2, explicit padding 2, 64 → 128', [16, 16, 64], { filters: 128, kernelSize: 5, strides: 2, padding: 2 }, 25, 64, 128, 8 * 8],
  ])('fires: %s', (_what, shape, params, area, cin, cout, pixels) => {
    const d = single(shape as number[], 'conv2d', params as Record<string, unknown>);
    const bias = (params as { useBias?: boolean }).useBias !== false;
    const [item] = adviceOf(d, 'depthwise-separable');
    expect(item).toMatchObject({
      nodeId: 'x',
      paramsDelta: separable(area, cin, cout, bias) - conv(area, cin, cout, bias),
      macsDelta: pixels * (area * cin + cin * cout) - pixels * area * cin * cout,
    });
  });

  it.each([
    ['Cin 31 < 32', [16, 16, 31], { filters: 64, kernelSize: 3 }],
    ['a 2×2 kernel (area 4 < 9)', [16, 16, 64], { filters: 64, kernelSize: 2 }],
    ['dilation 2', [16, 16, 64], { filters: 64, kernelSize: 3, dilation: 2 }],
    ['groups 2', [16, 16, 64], { filters: 64, kernelSize: 3, groups: 2 }],
    // 9·64 + 64·2 + 2 = 706 against 9·64·2 + 2 = 1,154: −448 is −39%, short of half
    ['2 filters: it saves less than half the conv\'s parameters', [16, 16, 64], { filters: 2, kernelSize: 3 }],
  ])('does not fire: %s', (_what, shape, params) => {
    expect(adviceOf(single(shape as number[], 'conv2d', params as Record<string, unknown>), 'depthwise-separable')).toEqual([]);
  });

  it('rewrites into a depthwise conv with the window (no bias, linear) and a 1×1 conv with the filters, bias and activation', () => {
    const d = single([16, 16, 64], 'conv2d', { filters: 96, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu' });
    const before = analyze(d);
    const item = adviseDetailed(d, before, { rewrites: true }).find((a) => a.rule === 'depthwise-separable')!;
    expect(item.added).toEqual(['x_dw']);
    const byId = new Map(item.rewrite!.nodes.map((n) => [n.id, n]));
    expect(byId.get('x_dw')).toMatchObject({ kind: 'depthwiseConv2d', params: { kernelSize: 5, strides: 2, padding: 'same', dilation: 1, useBias: false, activation: 'linear' } });
    expect(byId.get('x')).toMatchObject({ kind: 'conv2d', params: { filters: 96, kernelSize: 1, useBias: true, activation: 'relu' } });
    const after = analyze(item.rewrite!);
    const x = (a: typeof before) => a.nodes.find((n) => n.id === 'x')!;
    expect(x(after).outputShape).toEqual(x(before).outputShape);
    expect(x(after).receptiveField).toEqual(x(before).receptiveField);
    expect(item.sameReceptiveField).toBe(true);
    expect(item.message).toMatch(/^'x': a depthwise 5×5 convolution filters each of the 64 channels on its own and a 1×1 convolution then mixes them: 25·64 \+ 64·96 weights instead of 25·64·96 \(MobileNet's lesson\)\. Saving: −145,856 params \(−95% of x, −95% of the network\)/);
    expect(separable(25, 64, 96) - conv(25, 64, 96)).toBe(-145_856);
  });
});

describe('advice as a whole', () => {
  it('lists the rules in the contract order, each node at most once per rule', () => {
    const b = new DesignBuilder('all');
    b.input([16, 16, 64]);
    b.add('conv2d', { filters: 64, kernelSize: 5, padding: 'same' }, 'in', 'c5'); // rules 1, 2, 4, 6 (64 ≥ 32 channels)
    b.add('batchNorm', {}, 'c5', 'bn');
    b.add('flatten', {}, 'bn', 'f'); // rule 3; bn is the input of a flatten: rule 5
    b.add('dense', { units: 512 }, 'f', 'fc');
    const rules = adviceOf(b.design()).map((a) => `${a.rule}:${a.nodeId}`);
    expect(rules).toEqual([
      'factorize-kernel:c5', 'bottleneck-1x1:c5', 'global-pool-head:f', 'bias-before-batchnorm:c5', 'receptive-field-coverage:bn',
      'depthwise-separable:c5',
    ]);
  });
});

describe('rule 7, checkerboard', () => {
  const deconv = (p: Record<string, unknown>) => ({ filters: 16, useBias: true, activation: 'relu', ...p });
  it.each([
    // k 3, s 2, padding 1, output padding 1 on 7×7×32: (7 − 1)·2 − 2 + 3 + 1 = 14 = 7·2. The same 3·3·32·16 + 16
    // weights; the conv runs at 14×14 instead of 7×7: 14·14·16·288 − 7·7·32·9·16 MACs.
    ['3×3 stride 2, padding 1, output padding 1 (PyTorch\'s usual)', [7, 7, 32], deconv({ kernelSize: 3, strides: 2, padding: 1, outputPadding: 1 }),
      14 * 14 * 16 * 9 * 32 - 7 * 7 * 32 * 9 * 16],
    // same: out = in·s = 12 either way; 5 is not a multiple of 2. The conv: 12·12·16·(25·32); the deconv 6·6·32·25·16.
    ['5×5 stride 2, same', [6, 6, 32], deconv({ kernelSize: 5, strides: 2, padding: 'same' }), 12 * 12 * 16 * 25 * 32 - 6 * 6 * 32 * 25 * 16],
    // [3, 4] with stride 2: the rows overlap unevenly (3), the columns do not (4).
    ['3×4 stride 2, same: uneven in one axis', [5, 5, 8], deconv({ kernelSize: [3, 4], strides: 2, padding: 'same' }), 10 * 10 * 16 * 12 * 8 - 5 * 5 * 8 * 12 * 16],
  ])('fires with the same parameters and the MACs the cure costs: %s', (_what, shape, params, macsDelta) => {
    const d = single(shape as number[], 'conv2dTranspose', params as Record<string, unknown>);
    expect(adviceOf(d, 'checkerboard')).toEqual([expect.objectContaining({ nodeId: 'x', rule: 'checkerboard', paramsDelta: 0, macsDelta })]);
  });

  it.each([
    ['4×4 stride 2 (even overlap)', [8, 8, 16], deconv({ kernelSize: 4, strides: 2, padding: 'same' })],
    ['2×2 stride 2 (no overlap: U-Net\'s up-convolution)', [8, 8, 16], deconv({ kernelSize: 2, strides: 2 })],
    ['stride 1', [8, 8, 16], deconv({ kernelSize: 3, strides: 1 })],
    // valid: (8 − 1)·2 + 3 = 17, not 16: the cure would change the output shape
    ['3×3 stride 2 valid (17 is not 8·2)', [8, 8, 16], deconv({ kernelSize: 3, strides: 2 })],
  ])('does not fire: %s', (_what, shape, params) => {
    expect(adviceOf(single(shape as number[], 'conv2dTranspose', params as Record<string, unknown>), 'checkerboard')).toEqual([]);
  });

  it('rewrites into a nearest upsampling by the strides and a stride-1 same conv with the filters, kernel, bias and activation', () => {
    const d = single([7, 7, 32], 'conv2dTranspose', { filters: 16, kernelSize: 3, strides: 2, padding: 1, outputPadding: 1, useBias: false, activation: 'relu' });
    const item = adviseDetailed(d, analyze(d), { rewrites: true }).find((a) => a.rule === 'checkerboard')!;
    expect(item.added).toEqual(['x_up']);
    const byId = new Map(item.rewrite!.nodes.map((n) => [n.id, n]));
    expect(byId.get('x_up')).toMatchObject({ kind: 'upsample2d', params: { size: 2, interpolation: 'nearest' } });
    expect(byId.get('x')).toMatchObject({ kind: 'conv2d', params: { filters: 16, kernelSize: 3, strides: 1, padding: 'same', useBias: false, activation: 'relu' } });
    expect(item.saving).toBe(`0 params, +${(14 * 14 * 16 * 288 - 7 * 7 * 32 * 144).toLocaleString('en')} MACs`);
  });
});

// ---- property: rewrites keep the tensors that leave them ------------------------------------------------

const convArb = fc.record({
  kind: fc.constant('conv2d'),
  k: fc.constantFrom(1, 3, 5, 7),
  filters: fc.constantFrom(8, 16, 64, 96, 128),
  pad: fc.constantFrom('same', 'valid', 'half'),
  strides: fc.constantFrom(1, 1, 1, 2),
  useBias: fc.boolean(),
  activation: fc.constantFrom('linear', 'relu'),
});
/** a transposed conv: kernels that are and are not multiples of the stride, paddings that do and do not give in·s */
const deconvArb = fc.record({
  kind: fc.constant('conv2dTranspose'),
  k: fc.constantFrom(2, 3, 4, 5),
  filters: fc.constantFrom(8, 32),
  pad: fc.constantFrom('same', 'valid', 1),
  outputPadding: fc.constantFrom(0, 1),
  strides: fc.constantFrom(1, 2, 3),
  useBias: fc.boolean(),
});
const layerArb = fc.oneof(
  { weight: 4, arbitrary: convArb },
  { weight: 1, arbitrary: deconvArb },
  { weight: 1, arbitrary: fc.constantFrom({ kind: 'batchNorm' }, { kind: 'activation' }, { kind: 'dropout' }, { kind: 'maxPool2d' }) },
);
const designArb = fc.record({
  size: fc.integer({ min: 8, max: 40 }),
  channels: fc.constantFrom(3, 32, 64, 80),
  layers: fc.array(layerArb, { minLength: 1, maxLength: 7 }),
  head: fc.constantFrom('flatten', 'flatten-dropout', 'gap', 'none'),
  units: fc.integer({ min: 2, max: 300 }),
  /** a residual branch at the end: conv k×k same (+ batch norm) added to its own input */
  skip: fc.option(fc.record({ k: fc.constantFrom(1, 3, 5), bn: fc.boolean(), useBias: fc.boolean() }), { nil: undefined }),
});

type Spec = typeof designArb extends fc.Arbitrary<infer T> ? T : never;

function build(spec: Spec): Design {
  const b = new DesignBuilder('random');
  b.input([spec.size, spec.size, spec.channels]);
  for (const l of spec.layers) {
    if (l.kind === 'conv2d') {
      const c = l as { k: number; filters: number; pad: string; strides: number; useBias: boolean; activation: string };
      const padding = c.pad === 'half' ? (c.k - 1) / 2 : c.pad;
      b.add('conv2d', { filters: c.filters, kernelSize: c.k, padding, strides: c.strides, useBias: c.useBias, activation: c.activation });
    } else if (l.kind === 'conv2dTranspose') {
      const t = l as { k: number; filters: number; pad: string | number; outputPadding: number; strides: number; useBias: boolean };
      const outputPadding = t.pad === 'same' || t.outputPadding >= t.strides ? 0 : t.outputPadding;
      b.add('conv2dTranspose', { filters: t.filters, kernelSize: t.k, strides: t.strides, padding: t.pad, outputPadding, useBias: t.useBias });
    } else if (l.kind === 'activation') b.add('activation', { fn: 'relu' });
    else if (l.kind === 'maxPool2d') b.add('maxPool2d', { poolSize: 2, padding: 'same' });
    else b.add(l.kind, {});
  }
  const trunk = b.last;
  const c = analyze(b.design()).nodes.find((n) => n.id === trunk)?.outputShape;
  if (spec.skip && c && c.length === 3) {
    b.add('conv2d', { filters: c[2], kernelSize: spec.skip.k, padding: 'same', useBias: spec.skip.useBias }, trunk);
    if (spec.skip.bn) b.add('batchNorm', {});
    b.add('add', {}, [trunk, b.last]);
  }
  if (spec.head === 'flatten' || spec.head === 'flatten-dropout') {
    b.add('flatten', {});
    if (spec.head === 'flatten-dropout') b.add('dropout', { rate: 0.5 });
    b.add('dense', { units: spec.units });
  } else if (spec.head === 'gap') {
    b.add('globalAvgPool', {});
    b.add('dense', { units: spec.units });
  }
  return b.design();
}

describe('every advised rewrite (property)', () => {
  it('keeps the shape of each tensor leaving the rewritten nodes, states deltas equal to the re-analysis, and (rules 1 and 6) keeps every receptive field', () => {
    let rewrites = 0;
    let checkerboards = 0;
    fc.assert(fc.property(designArb, (spec) => {
      const d = build(spec);
      const before = analyze(d);
      if (!before.valid) return; // a random kernel larger than its input: nothing to advise on
      const byId = new Map(before.nodes.map((n) => [n.id, n]));
      for (const item of adviseDetailed(d, before, { rewrites: true })) {
        if (!item.rewrite) {
          expect(item.rule).toBe('receptive-field-coverage');
          continue;
        }
        rewrites++;
        // rule 7 is advised whatever its deltas (its cure costs MACs); every other rewrite saves parameters
        if (item.rule === 'checkerboard') checkerboards++;
        else expect(item.paramsDelta).toBeLessThan(0);
        const after = analyze(item.rewrite);
        expect(after.valid, after.errors.map((e) => e.message).join('; ')).toBe(true);
        expect([item.paramsDelta, item.macsDelta]).toEqual([after.totals.params - before.totals.params, after.totals.macs - before.totals.macs]);
        const inside = new Set(item.rewritten);
        const afterById = new Map(after.nodes.map((n) => [n.id, n]));
        // tensors leaving the rewritten nodes: edges from inside to outside, and rewritten output nodes
        for (const id of item.rewritten) {
          const leaves = d.edges.some((e) => e.source === id && !inside.has(e.target)) || !d.edges.some((e) => e.source === id);
          if (leaves) expect(afterById.get(id)!.outputShape).toEqual(byId.get(id)!.outputShape);
        }
        // and every node outside them keeps its shape
        for (const n of before.nodes) if (!inside.has(n.id)) expect(afterById.get(n.id)!.outputShape).toEqual(n.outputShape);
        if (item.rule === 'factorize-kernel' || item.rule === 'depthwise-separable') {
          for (const n of before.nodes) expect(afterById.get(n.id)!.receptiveField).toEqual(n.receptiveField);
        }
      }
    }), { numRuns: 300 });
    expect(rewrites).toBeGreaterThan(50); // the generator does reach the rules
    expect(checkerboards).toBeGreaterThan(5);
  });
});

describe('advice never throws (property)', () => {
  const kinds = ['input', 'conv2d', 'depthwiseConv2d', 'batchNorm', 'activation', 'dropout', 'flatten', 'dense', 'add', 'concat', 'maxPool2d', 'globalAvgPool', 'nope'];
  const paramsArb = fc.record({
    filters: fc.constantFrom(1, 8, 64, 96), kernelSize: fc.constantFrom(1, 3, 5, 7, [5, 3], 0), padding: fc.constantFrom('same', 'valid', 2, [2, 1]),
    units: fc.constantFrom(4, 100), useBias: fc.boolean(), activation: fc.constantFrom('linear', 'relu'), shape: fc.constantFrom([16, 16, 64], [8, 8, 3], [10]),
    poolSize: fc.constantFrom(2, 3), fn: fc.constant('relu'),
  }, { requiredKeys: [] });
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  const messy = fc.record({
    nodes: fc.array(fc.record({ id: fc.constantFrom(...ids), kind: fc.constantFrom(...kinds), params: paramsArb }), { maxLength: 7 }),
    edges: fc.array(fc.record({ id: fc.string({ minLength: 1, maxLength: 3 }), source: fc.constantFrom(...ids), target: fc.constantFrom(...ids) }), { maxLength: 9 }),
  });
  it('on messy designs: duplicates, cycles, dangling edges, wrong params, several inputs into one node', () => {
    fc.assert(fc.property(messy, ({ nodes, edges }) => {
      const d: Design = { format: 'convas.design', version: 1, name: 'messy', nodes, edges };
      const a = analyze(d);
      const items = adviseDetailed(d, a, { rewrites: true });
      for (const item of items) {
        expect(ADVICE_RULE_NAMES).toContain(item.rule);
        if (item.rewrite && item.rule !== 'checkerboard') expect(item.paramsDelta).toBeLessThan(0);
        // the deltas, made from the rewritten nodes alone where that is exact, are those of a full analysis of the copy
        if (item.rewrite) {
          const after = analyze(item.rewrite);
          expect([item.paramsDelta, item.macsDelta]).toEqual([after.totals.params - a.totals.params, after.totals.macs - a.totals.macs]);
        }
      }
      // without the copies, the same items: the ids chosen for the added nodes are those the whole edits give
      expect(adviseDetailed(d, a)).toEqual(items.map((item) => ({ ...item, rewrite: null })));
    }), { numRuns: 1500 });
  });
});

const ADVICE_RULE_NAMES = ['factorize-kernel', 'bottleneck-1x1', 'global-pool-head', 'bias-before-batchnorm', 'receptive-field-coverage', 'depthwise-separable', 'checkerboard'];

describe('advice on files that break the rules (review findings)', () => {
  it('a file with a duplicate edge gives its errors and no advice that cannot be applied, never a throw', () => {
    const d: Design = {
      format: 'convas.design', version: 1, name: 'dup',
      nodes: [{ id: 'in', kind: 'input', params: { shape: [8, 8, 4] } }, { id: 'c5', kind: 'conv2d', params: { filters: 4, kernelSize: 5, padding: 'same' } }],
      edges: [{ id: 'e1', source: 'in', target: 'c5' }, { id: 'e1', source: 'in', target: 'c5' }],
    };
    const a = analyze(d);
    expect(a.valid).toBe(false);
    expect(() => advise(d, a)).not.toThrow();
    expect(advise(d, a).filter((x) => x.rule === 'factorize-kernel')).toEqual([]);
  });

  it('receptive-field-coverage is not given for the input of a layer that failed (its field is unknown, not absent)', () => {
    const b = new DesignBuilder();
    b.input([2, 2, 1]);
    b.add('batchNorm', {}, 'in', 'bn');
    b.add('conv2d', { filters: 1, kernelSize: [1, 9] }, 'bn', 'w2'); // 9 wide on a 2-wide input: an error
    const d = b.design();
    expect(advise(d, analyze(d)).filter((x) => x.rule === 'receptive-field-coverage').map((x) => x.nodeId)).toEqual([]);
  });
});
