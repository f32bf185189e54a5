import { describe, expect, it } from 'vitest';
import { analyze, AnalysisCache, analyzeJson, analyzeText, formatError } from './analyze.ts';
import { DesignBuilder, vgg16 } from '../../test/fixtures/build.ts';
import type { Design } from '../contract/types.ts';

const design = (nodes: unknown[], edges: unknown[] = [], extra: Record<string, unknown> = {}) =>
  ({ format: 'convas.design', version: 1, name: 't', nodes, edges, ...extra });

function mustAnalyze(raw: unknown) {
  const r = analyzeJson(raw);
  if (!r.ok) throw new Error(r.error);
  return r.analysis;
}

describe('VGG-16', () => {
  const a = analyze(vgg16());
  it('has 138,357,544 params and 15,470,264,320 MACs', () => {
    expect(a.valid).toBe(true);
    expect(a.totals).toEqual({ params: 138_357_544, trainableParams: 138_357_544, nonTrainableParams: 0, macs: 15_470_264_320 });
  });
  it('block1_conv1 matches the contract example', () => {
    expect(a.nodes.find((n) => n.id === 'block1_conv1')).toMatchObject({
      outputShape: [224, 224, 64], params: 1792, macs: 86_704_128,
      receptiveField: { size: [3, 3], stride: [1, 1], padding: [1, 1] },
    });
  });
  it("the last max pool sees 212×212 pixels, stride 32, padding 90 (Araujo et al.)", () => {
    expect(a.nodes.find((n) => n.id === 'block5_pool')!.receptiveField).toEqual({ size: [212, 212], stride: [32, 32], padding: [90, 90] });
  });
  it('nodes after flatten report no receptive field', () => {
    expect(a.nodes.find((n) => n.id === 'fc1')!.receptiveField).toBeNull();
  });
  it('the input node has size 1, stride 1, padding 0', () => {
    expect(a.nodes[0].receptiveField).toEqual({ size: [1, 1], stride: [1, 1], padding: [0, 0] });
  });
});

describe('the facts students meet first', () => {
  it('two stacked 3×3 convolutions see 5×5 pixels with 2·9·C² weights against 25·C² for one 5×5', () => {
    const C = 64;
    const b = new DesignBuilder();
    b.input([32, 32, C]);
    const five = b.add('conv2d', { filters: C, kernelSize: 5, padding: 'same', useBias: false }, 'in');
    b.add('conv2d', { filters: C, kernelSize: 3, padding: 'same', useBias: false }, 'in');
    const three = b.add('conv2d', { filters: C, kernelSize: 3, padding: 'same', useBias: false });
    const a = analyze(b.design());
    const row = (id: string) => a.nodes.find((n) => n.id === id)!;
    expect(row(five).receptiveField!.size).toEqual([5, 5]);
    expect(row(three).receptiveField!.size).toEqual([5, 5]);
    expect(row(five).params).toBe(25 * C * C);
    expect(a.totals.params - row(five).params).toBe(2 * 9 * C * C);
  });

  it('a 1×1 reduction before a 3×3 cuts the weights of a block', () => {
    const plain = new DesignBuilder();
    plain.input([56, 56, 256]);
    plain.add('conv2d', { filters: 256, kernelSize: 3, padding: 1, useBias: false });
    const bottleneck = new DesignBuilder();
    bottleneck.input([56, 56, 256]);
    bottleneck.add('conv2d', { filters: 64, kernelSize: 1, useBias: false });
    bottleneck.add('conv2d', { filters: 64, kernelSize: 3, padding: 1, useBias: false });
    const out = bottleneck.add('conv2d', { filters: 256, kernelSize: 1, useBias: false });
    bottleneck.add('add', {}, [out, 'in']);
    const p = analyze(plain.design()).totals.params;
    const q = analyze(bottleneck.design());
    expect(q.valid).toBe(true);
    expect(p).toBe(589_824);
    expect(q.totals.params).toBe(256 * 64 + 9 * 64 * 64 + 64 * 256); // 69,632
    expect(q.totals.params * 8).toBeLessThan(p);
  });
});

describe('graphs', () => {
  it('concat stacks channels in port order and checks H×W', () => {
    const a = mustAnalyze(design(
      [
        { id: 'in', kind: 'input', params: { shape: [28, 28, 192] } },
        { id: 'a', kind: 'conv2d', params: { filters: 64, kernelSize: 1 } },
        { id: 'b', kind: 'conv2d', params: { filters: 128, kernelSize: 3, padding: 1 } },
        { id: 'c', kind: 'conv2d', params: { filters: 32, kernelSize: 3 } },
        { id: 'cat', kind: 'concat' },
        { id: 'bad', kind: 'concat' },
      ],
      [
        { id: 'e1', source: 'in', target: 'a' }, { id: 'e2', source: 'in', target: 'b' }, { id: 'e3', source: 'in', target: 'c' },
        { id: 'e4', source: 'b', target: 'cat', targetPort: 1 }, { id: 'e5', source: 'a', target: 'cat', targetPort: 0 },
        { id: 'e6', source: 'a', target: 'bad' }, { id: 'e7', source: 'c', target: 'bad' },
      ],
    ));
    const cat = a.nodes.find((n) => n.id === 'cat')!;
    expect(cat.outputShape).toEqual([28, 28, 192]);
    expect(cat.inputShapes).toEqual([[28, 28, 64], [28, 28, 128]]);
    expect(a.errors).toEqual([{ nodeId: 'bad', message: 'inputs must have equal H×W, but input 2 is 26×26 while input 1 is 28×28 (shapes 28×28×64, 26×26×32)' }]);
  });

  it('add of unequal shapes names both shapes', () => {
    const b = new DesignBuilder();
    b.input([56, 56, 64]);
    const c = b.add('conv2d', { filters: 128, kernelSize: 3, strides: 2, padding: 1 });
    b.add('add', {}, ['in', c], 'sum');
    const a = analyze(b.design());
    expect(a.valid).toBe(false);
    expect(a.errors[0]).toEqual({ nodeId: 'sum', message: 'inputs must have identical shapes, got 56×56×64 and 28×28×128 (input 2 differs)' });
    // where errors are listed, the node's label goes in front
    expect(formatError(a.errors[0], b.design())).toBe("add 'sum': inputs must have identical shapes, got 56×56×64 and 28×28×128 (input 2 differs)");
  });

  it('receptive field through a skip edge takes the widest path', () => {
    const b = new DesignBuilder();
    b.input([32, 32, 8]);
    const c1 = b.add('conv2d', { filters: 8, kernelSize: 3, padding: 1 });
    const c2 = b.add('conv2d', { filters: 8, kernelSize: 3, padding: 1 });
    b.add('add', {}, ['in', c2], 'sum');
    const a = analyze(b.design());
    expect(a.nodes.find((n) => n.id === c1)!.receptiveField!.size).toEqual([3, 3]);
    expect(a.nodes.find((n) => n.id === 'sum')!.receptiveField).toEqual({ size: [5, 5], stride: [1, 1], padding: [2, 2] });
  });

  it('an error marks the node and its descendants and leaves every other node analysed', () => {
    const b = new DesignBuilder();
    b.input([8, 8, 3]);
    const ok = b.add('conv2d', { filters: 4, kernelSize: 3 }, 'in');
    const bad = b.add('conv2d', { filters: 4, kernelSize: 9 }, 'in');
    const after = b.add('activation', { fn: 'relu' }, bad);
    const a = analyze(b.design());
    const row = (id: string) => a.nodes.find((n) => n.id === id)!;
    expect(row(ok).outputShape).toEqual([6, 6, 4]);
    expect(row(bad)).toMatchObject({ outputShape: null, params: 0, macs: 0 });
    expect(row(after)).toMatchObject({ outputShape: null, params: 0, blockedBy: bad });
    expect(a.errors).toHaveLength(1);
    expect(a.totals.params).toBe(row(ok).params);
  });

  it('a node with no outgoing edge is an output; several outputs are fine', () => {
    const b = new DesignBuilder();
    b.input([8, 8, 3]);
    b.add('conv2d', { filters: 4, kernelSize: 3 }, 'in');
    b.add('maxPool2d', { poolSize: 2 }, 'in');
    expect(analyze(b.design()).valid).toBe(true);
  });

  it('per-group totals', () => {
    const a = mustAnalyze(design(
      [
        { id: 'in', kind: 'input', params: { shape: [8, 8, 3] } },
        { id: 'c', kind: 'conv2d', params: { filters: 4, kernelSize: 3 }, group: 'g' },
        { id: 'bn', kind: 'batchNorm', group: 'g' },
      ],
      [{ id: 'e1', source: 'in', target: 'c' }, { id: 'e2', source: 'c', target: 'bn' }],
      { groups: [{ id: 'g', label: 'Block', kind: 'block' }] },
    ));
    expect(a.groups).toEqual([{ id: 'g', label: 'Block', kind: 'block', params: 112 + 16, trainableParams: 112 + 8, nonTrainableParams: 8, macs: 6 * 6 * 4 * 27, nodeCount: 2 }]);
  });

  it('a deep chain of 20,000 nodes does not overflow the stack', () => {
    const b = new DesignBuilder();
    b.input([8, 8, 3]);
    for (let i = 0; i < 20_000; i++) b.add('activation', { fn: 'relu' });
    const a = analyze(b.design());
    expect(a.valid).toBe(true);
    expect(a.nodes.at(-1)!.outputShape).toEqual([8, 8, 3]);
  });
});

describe('bad input: one test per class', () => {
  it('not JSON', () => {
    const r = analyzeText('{"format": "convas.design",');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^not valid JSON/);
  });
  it.each([
    [[], /expected a JSON object, got an array/],
    [null, /got null/],
    [{ format: 'keras', version: 1, nodes: [] }, /"format" must be "convas.design", got "keras"/],
    [{ format: 'convas.design', version: 2, nodes: [] }, /version 2 is newer than this Convas reads/],
    [{ format: 'convas.design', version: '1', nodes: [] }, /unsupported design format version "1"/],
    [{ format: 'convas.design', version: 1, nodes: {} }, /"nodes" must be a list/],
  ])('not a design: %j', (raw, message) => {
    const r = analyzeJson(raw);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(message);
  });

  const input = { id: 'in', kind: 'input', params: { shape: [8, 8, 3] } };
  const errorsOf = (nodes: unknown[], edges: unknown[] = [], extra = {}) => mustAnalyze(design(nodes, edges, extra)).errors;
  /** The errors as a list shows them (`formatError`: the node's label in front). */
  const shownOf = (nodes: unknown[], edges: unknown[] = [], extra = {}) => {
    const r = analyzeJson(design(nodes, edges, extra));
    if (!r.ok) throw new Error(r.error);
    return r.analysis.errors.map((e) => formatError(e, r.design));
  };

  it('unknown kind', () => {
    expect(errorsOf([input, { id: 'x', kind: 'conv3d', params: {} }], [{ id: 'e', source: 'in', target: 'x' }]))
      .toEqual([{ nodeId: 'x', field: 'kind', message: 'unknown kind "conv3d"' }]);
    expect(shownOf([input, { id: 'x', kind: 'conv3d', params: {} }], [{ id: 'e', source: 'in', target: 'x' }])).toEqual([`conv3d 'x': unknown kind "conv3d"`]);
  });
  it('a node whose kind is not text is left out, and its error still names it', () => {
    const errs = errorsOf([input, { id: 'x', kind: 7 }]);
    expect(errs).toEqual([{ nodeId: 'x', field: 'kind', message: '"kind" must be text, got 7' }]);
    expect(shownOf([input, { id: 'x', kind: 7 }])).toEqual([`node 'x': "kind" must be text, got 7`]);
  });
  it('unknown param', () => {
    expect(errorsOf([input, { id: 'x', kind: 'dropout', params: { rate: 0.2, p: 0.1 } }], [{ id: 'e', source: 'in', target: 'x' }])[0])
      .toMatchObject({ nodeId: 'x', field: 'p', message: expect.stringMatching(/unknown param "p" \(known: rate\)/) });
  });
  it('mistyped param', () => {
    expect(errorsOf([input, { id: 'x', kind: 'dropout', params: { rate: 'half' } }], [{ id: 'e', source: 'in', target: 'x' }]))
      .toEqual([{ nodeId: 'x', field: 'rate', message: 'Rate must be a number, got "half"' }]); // the label on screen
    expect(shownOf([input, { id: 'x', kind: 'dropout', params: { rate: 'half' } }], [{ id: 'e', source: 'in', target: 'x' }]))
      .toEqual([`dropout 'x': Rate must be a number, got "half"`]);
  });
  it('missing input', () => {
    expect(errorsOf([input, { id: 'x', kind: 'flatten' }])).toEqual([{ nodeId: 'x', message: 'needs an input; connect one' }]);
    expect(shownOf([input, { id: 'x', kind: 'flatten' }])).toEqual(["flatten 'x': needs an input; connect one"]);
  });
  it('too many inputs', () => {
    expect(errorsOf([input, { id: 'i2', kind: 'input', params: { shape: [8, 8, 3] } }, { id: 'x', kind: 'flatten' }],
      [{ id: 'e1', source: 'in', target: 'x' }, { id: 'e2', source: 'i2', target: 'x' }])[0])
      .toEqual({ nodeId: 'x', message: "takes one input, got 2 (from 'in', 'i2'); merge them with add or concat first" });
  });
  it('a merge with one input', () => {
    expect(errorsOf([input, { id: 'x', kind: 'add' }], [{ id: 'e1', source: 'in', target: 'x' }])[0])
      .toEqual({ nodeId: 'x', message: 'needs at least 2 inputs, got 1' });
  });
  it('an edge into an input', () => {
    expect(errorsOf([input, { id: 'i2', kind: 'input', params: { shape: [8] } }], [{ id: 'e1', source: 'in', target: 'i2' }])[0].message)
      .toMatch(/an input node takes no inputs/);
  });
  it('cycle', () => {
    const errs = errorsOf(
      [input, { id: 'a', kind: 'add' }, { id: 'b', kind: 'activation', params: { fn: 'relu' } }, { id: 'c', kind: 'flatten' }],
      [{ id: 'e1', source: 'in', target: 'a' }, { id: 'e2', source: 'a', target: 'b' }, { id: 'e3', source: 'b', target: 'a' }, { id: 'e4', source: 'b', target: 'c' }],
    );
    expect(errs.map((e) => e.nodeId).sort()).toEqual(['a', 'b']);
    expect(errs[0].message).toMatch(/is part of a cycle '(a|b)' → '(a|b)' → '(a|b)'/);
    const a = mustAnalyze(design(
      [input, { id: 'a', kind: 'add' }, { id: 'b', kind: 'activation', params: { fn: 'relu' } }, { id: 'c', kind: 'flatten' }],
      [{ id: 'e1', source: 'in', target: 'a' }, { id: 'e2', source: 'a', target: 'b' }, { id: 'e3', source: 'b', target: 'a' }, { id: 'e4', source: 'b', target: 'c' }],
    ));
    expect(a.nodes.find((n) => n.id === 'c')).toMatchObject({ outputShape: null, blockedBy: 'b' });
    expect(a.nodes.find((n) => n.id === 'in')!.outputShape).toEqual([8, 8, 3]);
  });
  it('self-loop', () => {
    expect(errorsOf([input, { id: 'a', kind: 'add' }], [{ id: 'e1', source: 'in', target: 'a' }, { id: 'e2', source: 'a', target: 'a' }])[0].message)
      .toMatch(/cycle 'a' → 'a'/);
  });
  it('dangling edge', () => {
    const errs = errorsOf([input, { id: 'x', kind: 'flatten' }], [{ id: 'e1', source: 'ghost', target: 'x' }]);
    // an error about an edge names the edge, by id and place; the node is the end that exists
    expect(errs[0]).toEqual({ edgeId: 'e1', edgeIndex: 0, nodeId: 'x', field: 'source', message: "edge 'e1': source 'ghost' is not a node of this design" });
    expect(errs[1]).toEqual({ nodeId: 'x', message: "input edge 'e1' comes from 'ghost', which does not exist" });
    // a list shows the edge's error as it is, and the node's with its label
    expect(shownOf([input, { id: 'x', kind: 'flatten' }], [{ id: 'e1', source: 'ghost', target: 'x' }])).toEqual([
      "edge 'e1': source 'ghost' is not a node of this design",
      "flatten 'x': input edge 'e1' comes from 'ghost', which does not exist",
    ]);
  });
  it('duplicate id', () => {
    const errs = errorsOf([input, { id: 'in', kind: 'input', params: { shape: [4] } }]);
    expect(errs).toEqual([{ nodeId: 'in', field: 'id', message: "duplicate id (another node is already called 'in')" }]);
  });
  it('bad ids', () => {
    const errs = errorsOf([input, { id: 'has space', kind: 'flatten' }, { id: 'x'.repeat(65), kind: 'flatten' }, { kind: 'flatten' }]);
    expect(errs.map((e) => e.message)).toEqual([
      'node #2 has id "has space": ids are 1-64 characters of A-Z a-z 0-9 _ . : -',
      expect.stringMatching(/^node #3 has id "x{64}/),
      'node #4 has no id',
    ]);
  });
  it('kernel larger than its input', () => {
    expect(errorsOf([input, { id: 'c', kind: 'conv2d', params: { filters: 2, kernelSize: 9 } }], [{ id: 'e', source: 'in', target: 'c' }]))
      .toEqual([{ nodeId: 'c', message: 'kernel 9×9 is larger than its 8×8 input (padding 0)' }]);
    expect(shownOf([input, { id: 'c', kind: 'conv2d', params: { filters: 2, kernelSize: 9 } }], [{ id: 'e', source: 'in', target: 'c' }]))
      .toEqual(["conv2d 'c': kernel 9×9 is larger than its 8×8 input (padding 0)"]);
  });
  it.each([
    [0, /must be from 1/], [-3, /must be from 1/], [2.5, /whole number, got 2.5/], [1e300, /must be from 1 to 1,048,576/],
  ])('input shape with %s', (v, message) => {
    expect(errorsOf([{ id: 'in', kind: 'input', params: { shape: [v, 8, 3] } }])[0].message).toMatch(message);
  });
  it('sizes whose counts would overflow exact integers are errors, not wrong numbers', () => {
    const errs = errorsOf(
      [{ id: 'in', kind: 'input', params: { shape: [1_000_000, 1_000_000, 3] } }, { id: 'c', kind: 'conv2d', params: { filters: 1_000_000, kernelSize: 9, padding: 'same' } }],
      [{ id: 'e', source: 'in', target: 'c' }],
    );
    expect(errs[0].message).toMatch(/beyond 2\^53/);
  });
  it('ids like __proto__ and constructor are ordinary ids', () => {
    const a = mustAnalyze(design(
      [{ id: '__proto__', kind: 'input', params: { shape: [4, 4, 1] } }, { id: 'constructor', kind: 'flatten', params: {} }, { id: 'toString', kind: 'dense', params: { units: 2 } }],
      [{ id: 'hasOwnProperty', source: '__proto__', target: 'constructor' }, { id: '__proto__', source: 'constructor', target: 'toString' }],
    ));
    expect(a.valid).toBe(true);
    expect(a.totals.params).toBe(16 * 2 + 2);
  });
  it('a __proto__ key inside params is an unknown param, not a prototype change', () => {
    const raw = JSON.parse('{"format":"convas.design","version":1,"name":"t","nodes":[{"id":"in","kind":"input","params":{"shape":[4],"__proto__":{"polluted":1}}}],"edges":[]}');
    const a = mustAnalyze(raw);
    expect(a.errors[0].message).toMatch(/unknown param "__proto__"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('group references and group kinds are checked', () => {
    const errs = errorsOf([{ ...input, group: 'nope' }], [], { groups: [{ id: 'g', kind: 'tower' }] });
    expect(errs).toEqual([
      { groupId: 'g', field: 'kind', message: "group 'g': kind must be one of inception, residual, dense, transition, block, got \"tower\"" },
      { nodeId: 'in', field: 'group', message: 'group "nope" is not one of the design\'s groups' },
    ]);
    expect(shownOf([{ ...input, group: 'nope' }], [], { groups: [{ id: 'g', kind: 'tower' }] })).toEqual([
      "group 'g': kind must be one of inception, residual, dense, transition, block, got \"tower\"",
      "input 'in': group \"nope\" is not one of the design's groups",
    ]);
  });
});

describe('incremental analysis', () => {
  it('reuses every node an edit does not reach, and gives the same result as a fresh run', () => {
    const base = vgg16();
    const cache = new AnalysisCache();
    analyze(base, { cache });
    const edited: Design = { ...base, nodes: base.nodes.map((n) => (n.id === 'block5_conv3' ? { ...n, params: { ...n.params, filters: 256 } } : n)) };
    cache.hits = 0;
    const inc = analyze(edited, { cache });
    // Everything up to block5_conv2 (17 nodes) is reused; the edited node and the 5 after it are recomputed.
    expect(cache.hits).toBe(17);
    expect(inc).toEqual(analyze(edited));
    expect(inc.totals.params).toBe(138_357_544 - 2_359_808 + (9 * 512 * 256 + 256) - 102_764_544 + (7 * 7 * 256 * 4096 + 4096));
  });
});

describe('designs written outside Convas (docs/design-format.md#edges)', () => {
  it('edges need no id: the contract example opens valid with 112 params', () => {
    const a = mustAnalyze(design(
      [{ id: 'in', kind: 'input', params: { shape: [8, 8, 3] } }, { id: 'c', kind: 'conv2d', params: { filters: 4, kernelSize: 3 } }],
      [{ source: 'in', target: 'c' }],
    ));
    expect(a.valid).toBe(true);
    expect(a.errors).toEqual([]);
    expect(a.totals.params).toBe(3 * 3 * 3 * 4 + 4);
    expect(a.nodes.map((n) => n.inputs)).toEqual([[], ['in']]);
  });

  it('an edge without an id is named by its place and its ends', () => {
    const a = mustAnalyze(design(
      [{ id: 'in', kind: 'input', params: { shape: [8, 8, 3] } }, { id: 'c1', kind: 'conv2d', params: { filters: 4, kernelSize: 3 } }],
      [{ source: 'in', target: 'c1' }, { id: 'named', source: 'in', target: 'c1' }, { source: 'ghost', target: 'c1' }],
    ));
    expect(a.errors[0]).toEqual({ edgeIndex: 2, nodeId: 'c1', field: 'source', message: "edge 3 (ghost → c1): source 'ghost' is not a node of this design" });
    const bad = analyzeJson(design([{ id: 'in', kind: 'input', params: { shape: [8, 8, 3] } }], [{ source: 'in', target: 7 }]));
    if (!bad.ok) throw new Error(bad.error);
    expect(bad.analysis.errors[0].message).toBe('edge 1: "target" must be a node id');
  });

  it('two edges with one id are still an error', () => {
    const a = mustAnalyze(design(
      [{ id: 'in', kind: 'input', params: { shape: [8, 8, 3] } }, { id: 'c', kind: 'conv2d', params: { filters: 4, kernelSize: 3 } },
        { id: 'd', kind: 'conv2d', params: { filters: 4, kernelSize: 3 } }],
      [{ id: 'x', source: 'in', target: 'c' }, { id: 'x', source: 'in', target: 'd' }],
    ));
    expect(a.errors.map((e) => e.message)).toContain("edge 'x': duplicate id");
  });

  // Three branches of different widths make every order visible in the concat's output... and in `inputs`.
  const branches = [
    { id: 'in', kind: 'input', params: { shape: [8, 8, 3] } },
    { id: 'a', kind: 'conv2d', params: { filters: 1, kernelSize: 1 } },
    { id: 'b', kind: 'conv2d', params: { filters: 2, kernelSize: 1 } },
    { id: 'c', kind: 'conv2d', params: { filters: 3, kernelSize: 1 } },
    { id: 'cat', kind: 'concat', params: {} },
  ];
  const feed = [{ source: 'in', target: 'a' }, { source: 'in', target: 'b' }, { source: 'in', target: 'c' }];
  const catInputs = (into: unknown[]) => {
    const a = mustAnalyze(design(branches, [...feed, ...into]));
    return { valid: a.valid, errors: a.errors.map((e) => ({ ...e })), inputs: a.nodes.find((n) => n.id === 'cat')!.inputs };
  };

  it.each([
    ['no ports: file order', [{ source: 'a', target: 'cat' }, { source: 'b', target: 'cat' }, { source: 'c', target: 'cat' }], ['a', 'b', 'c']],
    ['all ports', [{ source: 'a', target: 'cat', targetPort: 2 }, { source: 'b', target: 'cat', targetPort: 0 }, { source: 'c', target: 'cat', targetPort: 1 }], ['b', 'c', 'a']],
    ['a port on the last edge only: the others fill the free places in file order',
      [{ source: 'a', target: 'cat' }, { source: 'b', target: 'cat' }, { source: 'c', target: 'cat', targetPort: 0 }], ['c', 'a', 'b']],
    ['a port in the middle', [{ source: 'a', target: 'cat' }, { source: 'b', target: 'cat', targetPort: 2 }, { source: 'c', target: 'cat' }], ['a', 'c', 'b']],
    ['an unported edge first, port 1 later', [{ source: 'c', target: 'cat' }, { source: 'a', target: 'cat', targetPort: 1 }, { source: 'b', target: 'cat' }], ['c', 'a', 'b']],
  ])('input order, %s', (_, into, order) => {
    expect(catInputs(into)).toEqual({ valid: true, errors: [], inputs: order });
  });

  it('the same source may feed one merge twice', () => {
    const a = mustAnalyze(design(branches.slice(0, 2).concat({ id: 'sum', kind: 'add', params: {} }),
      [feed[0], { source: 'a', target: 'sum' }, { source: 'a', target: 'sum' }]));
    expect(a.valid).toBe(true);
    expect(a.nodes.find((n) => n.id === 'sum')!.inputs).toEqual(['a', 'a']);
  });

  it.each([
    ['two edges on one port', [{ source: 'a', target: 'cat', targetPort: 1 }, { source: 'b', target: 'cat', targetPort: 1 }, { source: 'c', target: 'cat' }], 'two input edges name targetPort 1'],
    ['a port beyond the inputs', [{ source: 'a', target: 'cat' }, { source: 'b', target: 'cat', targetPort: 3 }, { source: 'c', target: 'cat' }], 'an input edge names targetPort 3, but the node has 3 inputs (ports 0 to 2)'],
  ])('%s is an error on the node', (_, into, message) => {
    const r = catInputs(into);
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual([{ nodeId: 'cat', field: 'targetPort', message }]);
  });

  it('a port on the only edge of a one-input node must be 0', () => {
    const a = mustAnalyze(design(branches.slice(0, 2), [{ source: 'in', target: 'a', targetPort: 1 }]));
    expect(a.errors).toEqual([{ nodeId: 'a', field: 'targetPort', message: 'an input edge names targetPort 1, but the node has one input (ports 0 to 0)' }]);
  });
});

describe('receptive field where paths merge (docs/receptive-field.md#merging-paths)', () => {
  it('is the smallest window covering every path: 3×3→3×3 with 4×4→2×2 (same) sees 6, from −2', () => {
    const b = new DesignBuilder();
    b.input([16, 16, 1]);
    const a1 = b.add('conv2d', { filters: 1, kernelSize: 3, padding: 'same' }, 'in');
    const a2 = b.add('conv2d', { filters: 1, kernelSize: 3, padding: 'same' }, a1);
    const b1 = b.add('conv2d', { filters: 1, kernelSize: 4, padding: 'same' }, 'in');
    const b2 = b.add('conv2d', { filters: 1, kernelSize: 2, padding: 'same' }, b1);
    const sum = b.add('add', {}, [a2, b2]);
    const byId = new Map(analyze(b.design()).nodes.map((n) => [n.id, n.receptiveField]));
    expect(byId.get(a2)).toEqual({ size: [5, 5], stride: [1, 1], padding: [2, 2] });
    expect(byId.get(b2)).toEqual({ size: [5, 5], stride: [1, 1], padding: [1, 1] });
    expect(byId.get(sum)).toEqual({ size: [6, 6], stride: [1, 1], padding: [2, 2] });
  });

  it('a zero padding on one branch, two even kernels on the other: the merge covers both windows', () => {
    const b = new DesignBuilder();
    b.input([16, 16, 1]);
    const p = b.add('zeroPad2d', { padding: 3 }, 'in');
    const c = b.add('conv2d', { filters: 1, kernelSize: 7 }, p); // window −3…+3
    const d1 = b.add('conv2d', { filters: 1, kernelSize: 4, padding: 'same' }, 'in'); // −1…+2
    const d2 = b.add('conv2d', { filters: 1, kernelSize: 4, padding: 'same' }, d1); // −2…+4
    const cat = b.add('concat', {}, [c, d2]);
    const byId = new Map(analyze(b.design()).nodes.map((n) => [n.id, n.receptiveField]));
    expect(byId.get(c)).toEqual({ size: [7, 7], stride: [1, 1], padding: [3, 3] });
    expect(byId.get(d2)).toEqual({ size: [7, 7], stride: [1, 1], padding: [2, 2] });
    expect(byId.get(cat)).toEqual({ size: [8, 8], stride: [1, 1], padding: [3, 3] });
  });
});

describe('pools with explicit padding above half the window (docs/design-format.md#pool-padding)', () => {
  it.each([
    [{ poolSize: 2, strides: 2, padding: [2, 2] }, "padding 2 is more than half its 2-wide window: a window lying wholly in the padding has no value; use padding ≤ 1"],
    [{ poolSize: [3, 2], padding: [1, 2] }, "padding 2 is more than half its 2-wide window (width): a window lying wholly in the padding has no value; use padding ≤ 1"],
  ])('%j is an error', (params, message) => {
    const a = mustAnalyze(design([{ id: 'in', kind: 'input', params: { shape: [4, 4, 1] } }, { id: 'p', kind: 'maxPool2d', params }], [{ source: 'in', target: 'p' }]));
    expect(a.errors).toEqual([{ nodeId: 'p', message }]);
  });
  it.each([[{ poolSize: 2, padding: [1, 1] }], [{ poolSize: 3, strides: 2, padding: [1, 1], ceilMode: true }], [{ poolSize: 1, padding: 'same' }]])('%j is fine', (params) => {
    expect(mustAnalyze(design([{ id: 'in', kind: 'input', params: { shape: [4, 4, 1] } }, { id: 'p', kind: 'avgPool2d', params }], [{ source: 'in', target: 'p' }])).valid).toBe(true);
  });
});

describe('edges that break the rules still leave the rest exact (review findings)', () => {
  it('a duplicate edge id is reported and the edge still wires its target (no second, misleading error)', () => {
    const a = mustAnalyze(design(
      [{ id: 'in', kind: 'input', params: { shape: [4] } }, { id: 'a', kind: 'dense', params: { units: 2 } }, { id: 'b', kind: 'dense', params: { units: 2 } }],
      [{ id: 'e', source: 'in', target: 'a' }, { id: 'e', source: 'a', target: 'b' }],
    ));
    expect(a.errors.map((e) => e.message)).toEqual(["edge 'e': duplicate id"]);
    expect(a.nodes.find((n) => n.id === 'b')!.outputShape).toEqual([2]);
  });

  it('an edge without an id is named by its place in the file, counting edges the reader left out', () => {
    const a = mustAnalyze(design(
      [{ id: 'in', kind: 'input', params: { shape: [4] } }, { id: 'r', kind: 'dense', params: { units: 2 } }],
      [{ source: 'in', target: 'r', targetPort: -1 }, { source: 'in', target: 'r' }, { source: 'r', target: 'ghost' }],
    ));
    expect(a.errors.map((e) => e.message)).toContain("edge 3 (r → ghost): target 'ghost' is not a node of this design");
    // and the error names the end that exists
    expect(a.errors.find((e) => e.message.startsWith('edge 3'))).toMatchObject({ nodeId: 'r', field: 'target' });
  });
});
