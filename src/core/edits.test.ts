import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.ts';
import { diffDesigns } from './diff.ts';
import { freshEdgeId, insertBefore, insertOnEdge, insertOnEdges, replaceByChain, replaceNode, setNodeParams, uniqueId } from './edits.ts';
import type { Design } from './types.ts';
import { DesignBuilder } from './testing/build.ts';

function chain() {
  const b = new DesignBuilder('chain');
  b.input([16, 16, 8]);
  b.add('conv2d', { filters: 8, kernelSize: 5, padding: 'same' }, 'in', 'c');
  b.add('activation', { fn: 'relu' }, 'c', 'r');
  const d = b.design();
  d.nodes[1].position = { x: 0, y: 200 };
  d.nodes[0].position = { x: 0, y: 0 };
  d.nodes[1].group = 'g';
  d.groups = [{ id: 'g', kind: 'block' }];
  return d;
}

describe('design edits', () => {
  it('uniqueId keeps to the id rules and avoids taken ids', () => {
    const taken = new Set(['a', 'a_2']);
    expect(uniqueId('a', taken)).toBe('a_3');
    expect(uniqueId('x y/z', taken)).toBe('x_y_z');
    expect(uniqueId('q'.repeat(100), taken)).toHaveLength(56);
  });

  it('insertBefore puts a node on the input edge, in the group, between the two on the canvas; the original is untouched', () => {
    const d = chain();
    const copy = JSON.parse(JSON.stringify(d));
    const r = insertBefore(d, 'c', { kind: 'conv2d', params: { filters: 4, kernelSize: 1 }, id: 'c_reduce' });
    expect(d).toEqual(copy);
    expect(r.id).toBe('c_reduce');
    const n = r.design.nodes.find((x) => x.id === 'c_reduce')!;
    expect(n).toMatchObject({ group: 'g', position: { x: 0, y: 100 } });
    expect(r.design.nodes.map((x) => x.id)).toEqual(['in', 'c_reduce', 'c', 'r']);
    const wires = r.design.edges.map((e) => `${e.source}>${e.target}`).sort();
    expect(wires).toEqual(['c>r', 'c_reduce>c', 'in>c_reduce']);
    expect(new Set(r.design.edges.map((e) => e.id)).size).toBe(3);
    expect(analyze(r.design).valid).toBe(true);
  });

  it('insertOnEdge keeps the edge into a merge with its port, so the input order stays', () => {
    const b = new DesignBuilder('merge');
    b.input([8, 8, 4]);
    b.add('conv2d', { filters: 4, kernelSize: 1 }, 'in', 'a');
    b.add('conv2d', { filters: 6, kernelSize: 1 }, 'in', 'b');
    b.add('concat', {}, [], 'cat');
    const d = b.design();
    d.edges.push({ id: 'x1', source: 'b', target: 'cat', targetPort: 1 }, { id: 'x0', source: 'a', target: 'cat', targetPort: 0 });
    const r = insertOnEdge(d, d.edges.find((e) => e.id === 'x1')!, { kind: 'batchNorm', params: {}, id: 'bn' });
    expect(r.design.edges.find((e) => e.id === 'x1')).toEqual({ id: 'x1', source: 'bn', target: 'cat', targetPort: 1 });
    expect(r.design.edges.find((e) => e.target === 'bn')).toEqual({ id: freshEdgeId(d), source: 'b', target: 'bn' });
    const cat = analyze(r.design).nodes.find((n) => n.id === 'cat')!;
    expect(cat.inputShapes).toEqual([[8, 8, 4], [8, 8, 6]]);
  });

  it('insertBefore refuses a node without exactly one input edge', () => {
    const d = chain();
    expect(() => insertBefore(d, 'in', { kind: 'dropout', params: {} })).toThrow(/0 input edges/);
    expect(() => insertBefore(d, 'nope', { kind: 'dropout', params: {} })).toThrow(/no node 'nope'/);
  });

  it('replaceByChain keeps the last id, its name and its output edges; replaceNode and setNodeParams change one node', () => {
    const d = chain();
    d.nodes[1].name = 'five';
    const spec = { kind: 'conv2d', params: { filters: 8, kernelSize: 3, padding: 'same' } };
    const r = replaceByChain(d, 'c', [{ ...spec, id: 'c_a' }, spec]);
    expect(r.ids).toEqual(['c_a', 'c']);
    expect(r.design.nodes.find((n) => n.id === 'c')).toMatchObject({ name: 'five', params: { kernelSize: 3 } });
    expect(r.design.edges.find((e) => e.target === 'r')!.source).toBe('c');
    const a = analyze(r.design);
    expect(a.nodes.find((n) => n.id === 'c')!.receptiveField!.size).toEqual([5, 5]);

    const g = replaceNode(d, 'r', { kind: 'dropout', params: { rate: 0.1 } });
    expect(g.nodes[2]).toMatchObject({ id: 'r', kind: 'dropout', params: { rate: 0.1 } });
    const p = setNodeParams(d, 'c', { useBias: false, padding: undefined });
    expect(p.nodes[1].params).toEqual({ filters: 8, kernelSize: 5, useBias: false });
    expect(d.nodes[1].params).toEqual({ filters: 8, kernelSize: 5, padding: 'same' });
  });
});

describe('diffDesigns (contract §4 comparison)', () => {
  it('matches nodes by id: added, removed, changed with count deltas and the new shape; totals AFTER − BEFORE', () => {
    const before = chain();
    const after = replaceByChain(before, 'c', [
      { kind: 'conv2d', params: { filters: 8, kernelSize: 3, padding: 'same' }, id: 'c_a' },
      { kind: 'conv2d', params: { filters: 8, kernelSize: 3, padding: 'same' } },
    ]).design;
    after.nodes = after.nodes.filter((n) => n.id !== 'r');
    after.edges = after.edges.filter((e) => e.target !== 'r');
    const diff = diffDesigns(before, analyze(before), after, analyze(after));
    // before: 5·5·8·8 + 8 = 1608 params, 16·16·8·5·5·8 MACs; after: 2 · (3·3·8·8 + 8) = 1168
    expect(diff.totals).toEqual({ params: 1168 - 1608, trainableParams: 1168 - 1608, nonTrainableParams: 0, macs: 16 * 16 * 8 * 8 * (18 - 25) });
    expect(diff.nodes).toEqual([
      { id: 'c_a', change: 'added', params: 584, macs: 16 * 16 * 8 * 9 * 8, outputShape: [16, 16, 8] },
      { id: 'c', change: 'changed', params: 584 - 1608, macs: 16 * 16 * 8 * 8 * (9 - 25), outputShape: [16, 16, 8] },
      { id: 'r', change: 'removed', params: 0, macs: 0, outputShape: null },
    ]);
  });

  it('a params change without a count change is a change; the same params written differently are not', () => {
    const before = chain();
    const relu = setNodeParams(before, 'c', { activation: 'relu' });
    expect(diffDesigns(before, analyze(before), relu, analyze(relu)).nodes).toEqual([
      { id: 'c', change: 'changed', params: 0, macs: 0, outputShape: [16, 16, 8] },
    ]);
    const pair = setNodeParams(before, 'c', { kernelSize: [5, 5], strides: 1 });
    expect(diffDesigns(before, analyze(before), pair, analyze(pair))).toEqual({
      totals: { params: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0 }, nodes: [],
    });
  });
});

describe('insertOnEdges: the one insert rule', () => {
  const merge = (): Design => ({
    format: 'convas.design', version: 1, name: 'm',
    nodes: [
      { id: 'in', kind: 'input', params: { shape: [8, 8, 2] } },
      { id: 'a', kind: 'conv2d', params: { filters: 1, kernelSize: 1 } },
      { id: 'b', kind: 'conv2d', params: { filters: 3, kernelSize: 1 } },
      { id: 'cat', kind: 'concat', params: {} },
    ],
    // no ports: input order is file order (contract §1)
    edges: [
      { id: 'e1', source: 'in', target: 'a' }, { id: 'e2', source: 'in', target: 'b' },
      { id: 'e3', source: 'a', target: 'cat' }, { id: 'e4', source: 'b', target: 'cat' },
    ],
  });

  it("an insert on a merge's first unported input keeps the merge's input order", () => {
    const d = merge();
    const out = insertOnEdges(d, [d.edges[2]], { id: 'p', kind: 'maxPool2d', params: { poolSize: 1 } });
    expect(analyze(out).nodes.find((n) => n.id === 'cat')!.inputs).toEqual(['p', 'b']);
    expect(out.nodes.map((n) => n.id)).toEqual(['in', 'a', 'b', 'p', 'cat']);
  });

  it('several edges into one layer merge through the new node, in the order given', () => {
    const d = merge();
    const out = insertOnEdges(d, [d.edges[3], d.edges[2]], { id: 'sum', kind: 'concat', params: {} });
    const a = analyze(out);
    expect(a.nodes.find((n) => n.id === 'sum')!.inputs).toEqual(['b', 'a']);
    expect(a.nodes.find((n) => n.id === 'cat')!.inputs).toEqual(['sum']);
    expect(() => insertOnEdges(d, [d.edges[0], d.edges[2]], { id: 'x', kind: 'add', params: {} })).toThrow(/one layer/);
  });
});

describe('diff compares params as the kind reads them', () => {
  it("a pool's strides left out are its pool size: no change", () => {
    const pool = (params: Record<string, unknown>): Design => ({
      format: 'convas.design', version: 1, name: 'p',
      nodes: [{ id: 'in', kind: 'input', params: { shape: [6, 6, 4] } }, { id: 'p', kind: 'maxPool2d', params }],
      edges: [{ id: 'e1', source: 'in', target: 'p' }],
    });
    const a = pool({ poolSize: 2 });
    const b = pool({ poolSize: 2, strides: 2 });
    expect(diffDesigns(a, analyze(a), b, analyze(b)).nodes).toEqual([]);
    const c = pool({ poolSize: 2, strides: 1 });
    expect(diffDesigns(a, analyze(a), c, analyze(c)).nodes.map((n) => n.change)).toEqual(['changed']);
  });
});
