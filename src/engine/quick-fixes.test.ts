import { describe, expect, it } from 'vitest';
import { analyze, emptyDesign, nodeDepths, type Design, type DesignNode } from './index.ts';
import { quickFixes, type QuickFix } from './quick-fixes.ts';

const input = (shape: number[]): DesignNode => ({ id: 'in', kind: 'input', params: { shape }, position: { x: 0, y: 0 } });

/** The fixes offered for layer `id` of `d` (every layer placed, every edge with an id), which must be in error. */
function fixesFor(d: Design, id: string) {
  const a = analyze(d).nodes.find((n) => n.id === id);
  expect(a?.error).toBeTruthy();
  return quickFixes(d, d.nodes.find((n) => n.id === id)!, a, Object.fromEntries(nodeDepths(d)));
}

/** The analysis of `id` in the design `fix` rewrites. */
function after(fix: QuickFix, id: string) {
  const a = analyze(fix.rewrite);
  return a.nodes.find((n) => n.id === id)!;
}

const chain = (shape: number[], node: DesignNode): Design => ({
  ...emptyDesign('q'),
  nodes: [input(shape), { ...node, position: { x: 0, y: 124 } }],
  edges: [{ id: 'e1', source: 'in', target: node.id }],
});

describe('quick fixes', () => {
  it('a 15×15 kernel on a 14×14 input: padding same, or the largest kernel that fits (14×14 with padding 0)', () => {
    const d = chain([14, 14, 8], { id: 'k', kind: 'conv2d', params: { filters: 4, kernelSize: 15 } });
    const fixes = fixesFor(d, 'k');
    expect(fixes.map((f) => f.message)).toEqual([
      "Set padding 'same' (keeps the kernel 15×15)",
      'Use the largest kernel that fits: 14×14 (input 14×14)',
    ]);
    // 'same' keeps H×W at stride 1 (TensorFlow's rule: out = ceil(14 / 1))
    expect(after(fixes[0], 'k').outputShape).toEqual([14, 14, 4]);
    // valid: out = (14 − 14) / 1 + 1 = 1
    expect(after(fixes[1], 'k').outputShape).toEqual([1, 1, 4]);
  });

  it('the largest kernel that fits counts the layer\'s padding and dilation', () => {
    // 7×7 input, padding 1, dilation 2: a dilated extent 2(k−1)+1 ≤ 9 gives k ≤ 5
    const d = chain([7, 7, 3], { id: 'k', kind: 'conv2d', params: { filters: 2, kernelSize: 7, padding: 1, dilation: 2 } });
    const fit = fixesFor(d, 'k').find((f) => f.message.startsWith('Use the largest'))!;
    expect(fit.message).toBe('Use the largest kernel that fits: 5×5 (input 7×7)');
    expect(after(fit, 'k').outputShape).toEqual([1, 1, 2]);
  });

  it('a pool window larger than its input keeps its stride when it shrinks', () => {
    const d = chain([5, 5, 3], { id: 'p', kind: 'maxPool2d', params: { poolSize: 7 } });
    const fixes = fixesFor(d, 'p');
    const fit = fixes.find((f) => f.message.startsWith('Use the largest'))!;
    expect(fit.message).toBe('Use the largest pool window that fits: 5×5 (input 5×5)');
    expect(fit.rewrite.nodes[1].params).toMatchObject({ poolSize: 5, strides: 7 });
  });

  it('groups that do not divide the channels: the largest groups that divide both, or filters rounded up', () => {
    const d = chain([8, 8, 12], { id: 'g', kind: 'conv2d', params: { filters: 18, kernelSize: 3, groups: 4 } });
    const fixes = fixesFor(d, 'g');
    // gcd(12, 18) = 6; its largest divisor ≤ 4 is 3. 12 % 4 = 0, 18 → 20.
    expect(fixes.map((f) => f.message)).toEqual([
      'Set groups to 3 (divides 12 input channels and 18 filters)',
      'Set filters to 20 (a multiple of groups 4)',
    ]);
    expect(after(fixes[0], 'g').params).toBe(3 * 3 * (12 / 3) * 18 + 18);
    expect(after(fixes[1], 'g').params).toBe(3 * 3 * (12 / 4) * 20 + 20);
  });

  it('a channel shuffle whose groups do not divide the channels: the largest groups that do (it has no filters)', () => {
    const d = chain([8, 8, 116], { id: 's', kind: 'channelShuffle', params: { groups: 3 } });
    const fixes = fixesFor(d, 's');
    // 116 = 2·2·29: its largest divisor ≤ 3 is 2
    expect(fixes.map((f) => f.message)).toEqual(['Set groups to 2 (divides 116 input channels)']);
    expect(after(fixes[0], 's').outputShape).toEqual([8, 8, 116]);
  });

  it('concat of 26×26 and 28×28: padding same on the branch that shrank, or a pool on a larger one', () => {
    const d: Design = {
      ...emptyDesign('c'),
      nodes: [
        input([28, 28, 16]),
        { id: 'b1', kind: 'conv2d', params: { filters: 8, kernelSize: 1 }, position: { x: 0, y: 124 } },
        { id: 'b2', kind: 'conv2d', params: { filters: 8, kernelSize: 3 }, position: { x: 240, y: 124 } },
        { id: 'b3', kind: 'conv2d', params: { filters: 8, kernelSize: 1 }, position: { x: 480, y: 124 } },
        { id: 'big', kind: 'input', params: { shape: [56, 56, 4] }, position: { x: 720, y: 0 } },
        { id: 'cat', kind: 'concat', params: {}, position: { x: 240, y: 248 } },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'b1' },
        { id: 'e2', source: 'in', target: 'b2' },
        { id: 'e3', source: 'in', target: 'b3' },
        { id: 'e4', source: 'b1', target: 'cat', targetPort: 0 },
        { id: 'e5', source: 'b2', target: 'cat', targetPort: 1 },
        { id: 'e6', source: 'b3', target: 'cat', targetPort: 2 },
        { id: 'e7', source: 'big', target: 'cat', targetPort: 3 },
      ],
    };
    // 3 of 4 inputs are 28×28: b2 (26×26, 'valid') gets 'same', big (56×56) a 2×2 pool; each fixes its input
    const fixes = fixesFor(d, 'cat');
    expect(fixes.map((f) => f.message)).toEqual([
      "Set padding 'same' on b2 (26×26 → 28×28)",
      'Insert max pool 2×2 /2 on the input from big (56×56 → 28×28)',
    ]);
    // both, one after the other as a person clicks them: the pool, then the padding fix offered on the result
    const then = fixesFor(fixes[1].rewrite, 'cat');
    expect(then.map((f) => f.message)).toEqual(["Set padding 'same' on b2 (26×26 → 28×28)"]);
    expect(after(then[0], 'cat').outputShape).toEqual([28, 28, 8 + 8 + 8 + 4]);
    // with only b2 wrong, its fix alone repairs the concat
    const one = { ...d, nodes: d.nodes.filter((n) => n.id !== 'big'), edges: d.edges.filter((e) => e.id !== 'e7') };
    const f1 = fixesFor(one, 'cat');
    expect(f1.map((f) => f.message)).toEqual(["Set padding 'same' on b2 (26×26 → 28×28)"]);
    expect(after(f1[0], 'cat').outputShape).toEqual([28, 28, 24]);
    // without b2 the ports close up (a port beyond the inputs is an error of its own, docs/design-format.md#input-order)
    const two = {
      ...d, nodes: d.nodes.filter((n) => n.id !== 'b2'),
      edges: d.edges.filter((e) => e.id !== 'e2' && e.id !== 'e5').map((e) => (e.targetPort !== undefined && e.targetPort > 1 ? { ...e, targetPort: e.targetPort - 1 } : e)),
    };
    const f2 = fixesFor(two, 'cat');
    expect(f2.map((f) => f.message)).toEqual(['Insert max pool 2×2 /2 on the input from big (56×56 → 28×28)']);
    expect(after(f2[0], 'cat').outputShape).toEqual([28, 28, 8 + 8 + 4]);
  });

  it('a layer without an input: a wire from the nearest layer above it', () => {
    const d: Design = {
      ...emptyDesign('m'),
      nodes: [
        input([8, 8, 3]),
        { id: 'c', kind: 'conv2d', params: { filters: 4, kernelSize: 3 }, position: { x: 0, y: 124 } },
        { id: 'lonely', kind: 'maxPool2d', params: { poolSize: 2 }, position: { x: 20, y: 248 } },
      ],
      edges: [{ id: 'e1', source: 'in', target: 'c' }],
    };
    const fixes = fixesFor(d, 'lonely');
    expect(fixes.map((f) => f.message)).toEqual(['Connect c → lonely', 'Connect in → lonely']);
    expect(after(fixes[0], 'lonely').outputShape).toEqual([3, 3, 4]);
  });

  it('a concat with one input wired: the branch ends that feed nothing, not a layer another consumes', () => {
    // in → stem → a (wired into cat), stem → b (dangles), in → c (dangles, further away); stem feeds a and b already
    const d: Design = {
      ...emptyDesign('m'),
      nodes: [
        input([8, 8, 3]),
        { id: 'stem', kind: 'conv2d', params: { filters: 4, kernelSize: 1 }, position: { x: 0, y: 124 } },
        { id: 'a', kind: 'conv2d', params: { filters: 4, kernelSize: 1 }, position: { x: 0, y: 248 } },
        { id: 'b', kind: 'conv2d', params: { filters: 6, kernelSize: 3, padding: 'same' }, position: { x: 240, y: 248 } },
        { id: 'c', kind: 'conv2d', params: { filters: 2, kernelSize: 1 }, position: { x: 480, y: 124 } },
        { id: 'cat', kind: 'concat', params: {}, position: { x: 0, y: 372 } },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'stem' }, { id: 'e2', source: 'stem', target: 'a' }, { id: 'e3', source: 'stem', target: 'b' },
        { id: 'e4', source: 'in', target: 'c' }, { id: 'e5', source: 'a', target: 'cat', targetPort: 0 },
      ],
    };
    const fixes = fixesFor(d, 'cat');
    expect(fixes.map((f) => f.message)).toEqual(['Connect b → cat', 'Connect c → cat']);
    // 4 + 6 channels: a first, the new wire last
    expect(after(fixes[0], 'cat').outputShape).toEqual([8, 8, 10]);
    expect(after(fixes[1], 'cat').outputShape).toEqual([8, 8, 6]);
  });

  it('dense on a feature map: Flatten or Global average pool, placed on the edge', () => {
    const d = chain([7, 7, 512], { id: 'fc', kind: 'dense', params: { units: 10 } });
    const fixes = fixesFor(d, 'fc');
    expect(fixes.map((f) => f.message)).toEqual(['Insert Flatten (7×7×512 → 25088)', 'Insert Global average pool (7×7×512 → 512)']);
    expect(after(fixes[0], 'fc').params).toBe(25088 * 10 + 10);
    expect(after(fixes[1], 'fc').params).toBe(512 * 10 + 10);
    // a finding on the dense layer: the rewrite adds one layer, named for the view to follow, and leaves d as it was
    expect(fixes.map((f) => [f.nodeId, f.added])).toEqual([['fc', ['flatten']], ['fc', ['globalAvgPool']]]);
    expect(d.nodes.map((n) => n.id)).toEqual(['in', 'fc']);
    const placed = fixes[1].rewrite.nodes;
    expect(placed.find((n) => n.kind === 'globalAvgPool')!.position).toEqual({ x: 0, y: 124 });
    expect(placed.find((n) => n.id === 'fc')!.position!.y).toBeGreaterThan(124);
  });
});

describe('quick fixes for wiring', () => {
  it('a one-input layer wired from two: an Add (equal shapes) or a Concat (equal H×W) in front, taking its place', () => {
    const d: Design = {
      ...emptyDesign('w'),
      nodes: [
        input([8, 8, 3]),
        { id: 'a', kind: 'conv2d', params: { filters: 4, kernelSize: 1 }, position: { x: 0, y: 124 } },
        { id: 'b', kind: 'conv2d', params: { filters: 4, kernelSize: 1 }, position: { x: 240, y: 124 } },
        { id: 'p', kind: 'maxPool2d', params: { poolSize: 2 }, position: { x: 0, y: 248 } },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'a' },
        { id: 'e2', source: 'in', target: 'b' },
        { id: 'e3', source: 'a', target: 'p' },
        { id: 'e4', source: 'b', target: 'p' },
      ],
    };
    const fixes = fixesFor(d, 'p');
    expect(fixes.map((f) => f.message)).toEqual([
      'Merge the 2 inputs with an Add (8×8×4)',
      'Merge the 2 inputs with a Concat (8×8×8, C = 4 + 4)',
    ]);
    expect(after(fixes[0], 'p').outputShape).toEqual([4, 4, 4]);
    expect(after(fixes[1], 'p').outputShape).toEqual([4, 4, 8]);
    const placed = fixes[1].rewrite;
    expect(placed.nodes.find((n) => n.kind === 'concat')!.position).toEqual({ x: 0, y: 248 });
    expect(placed.nodes.find((n) => n.id === 'p')!.position!.y).toBeGreaterThan(248);
    expect(placed.edges.filter((e) => e.target === 'concat').map((e) => [e.source, e.targetPort])).toEqual([['a', 0], ['b', 1]]);
  });

  /** in → a (4 channels) → cat, and in → cat directly (3 channels), with the two edges into cat given `ports`. */
  const portsInto = (ports: [number | undefined, number | undefined]): Design => ({
    ...emptyDesign('w'),
    nodes: [
      input([8, 8, 3]),
      { id: 'a', kind: 'conv2d', params: { filters: 4, kernelSize: 1 }, position: { x: 0, y: 124 } },
      { id: 'cat', kind: 'concat', params: {}, position: { x: 0, y: 248 } },
    ],
    edges: [
      { id: 'e1', source: 'in', target: 'a' },
      { id: 'e2', source: 'a', target: 'cat', ...(ports[0] !== undefined ? { targetPort: ports[0] } : {}) },
      { id: 'e3', source: 'in', target: 'cat', ...(ports[1] !== undefined ? { targetPort: ports[1] } : {}) },
    ],
  });

  it('two inputs naming the same port: renumbered in their present order', () => {
    const d = portsInto([0, 0]);
    const fixes = fixesFor(d, 'cat');
    expect(fixes.map((f) => f.message)).toEqual(["Renumber the inputs' ports 0–1 in their present order"]);
    expect(after(fixes[0], 'cat').outputShape).toEqual([8, 8, 7]);
  });

  it('a port beyond the inputs: renumbered in their present order', () => {
    const d = portsInto([5, undefined]);
    const fixes = fixesFor(d, 'cat');
    expect(fixes.map((f) => f.message)).toEqual(["Renumber the inputs' ports 0–1 in their present order"]);
    // 'in' fills the free place 0, then 'a': 3 + 4 channels
    expect(after(fixes[0], 'cat')).toMatchObject({ inputs: ['in', 'a'], outputShape: [8, 8, 7] });
  });
});

describe('quick fixes for pools', () => {
  it('explicit padding above half the window: the most it may be, per axis', () => {
    const d = chain([4, 4, 3], { id: 'p', kind: 'maxPool2d', params: { poolSize: [2, 3], strides: 2, padding: [2, 1] } });
    const fixes = fixesFor(d, 'p');
    expect(fixes.map((f) => f.message)).toEqual(['Set padding 1 (at most half the 2×3 window)']);
    // PyTorch: out = ⌊(4 + 2·1 − 2) / 2⌋ + 1 = 3 and ⌊(4 + 2·1 − 3) / 2⌋ + 1 = 2
    expect(after(fixes[0], 'p').outputShape).toEqual([3, 2, 3]);
  });
});
