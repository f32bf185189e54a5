import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.ts';
import { diffDesigns } from './diff.ts';
import {
  addNode, connectNodes, extractFragment, freshEdgeId, freshNodeId, insertBefore, insertOnEdge, insertOnEdges, moveNodes, nextTargetPort,
  offsetFragment, pasteFragment, removeNodes, renameNode, replaceByChain, replaceNode, replaceParams, setNodeParams, uniqueId,
} from './edits.ts';
import type { Design } from '../contract/types.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';

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

  it('uniqueId: the base when free, then base_2, base_3…; a numbered base counts on from its number', () => {
    const taken = new Set<string>();
    expect(['conv2d', 'conv2d', 'conv2d'].map((b) => uniqueId(b, taken))).toEqual(['conv2d', 'conv2d_2', 'conv2d_3']);
    expect(uniqueId('conv2d_2', taken)).toBe('conv2d_4');
    expect(uniqueId('pool_7', new Set(['pool_7']))).toBe('pool_8');
    expect(uniqueId('pool_7', new Set())).toBe('pool_7');
    // every id it gives is new and within the id rules, whatever the base (brute force over small bases)
    const all = new Set<string>();
    for (const b of ['a', 'a_1', 'a_2', 'a_10', '_1', '1', 'x y', '', 'a_1', 'a']) {
      const id = uniqueId(b, all);
      expect(id).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/);
    }
    expect(all.size).toBe(10);
  });

  it('freshNodeId follows uniqueId over the design\'s node ids', () => {
    const d = chain();
    expect(freshNodeId(d, 'dense')).toBe('dense');
    expect(freshNodeId(d, 'c')).toBe('c_2');
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

describe('diffDesigns (docs/advice.md#comparison)', () => {
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
    expect(diff.nodes).toMatchObject([
      { id: 'c_a', change: 'added', params: 584, macs: 16 * 16 * 8 * 9 * 8, outputShape: [16, 16, 8] },
      { id: 'c', change: 'changed', params: 584 - 1608, macs: 16 * 16 * 8 * 8 * (9 - 25), outputShape: [16, 16, 8] },
      { id: 'r', change: 'removed', params: 0, macs: 0, outputShape: null },
    ]);
  });

  it('a params change without a count change is a change; the same params written differently are not', () => {
    const before = chain();
    const relu = setNodeParams(before, 'c', { activation: 'relu' });
    expect(diffDesigns(before, analyze(before), relu, analyze(relu)).nodes).toMatchObject([
      { id: 'c', change: 'changed', params: 0, macs: 0, outputShape: [16, 16, 8], settings: [{ name: 'activation', label: 'Activation', before: 'linear', after: 'relu' }] },
    ]);
    const pair = setNodeParams(before, 'c', { kernelSize: [5, 5], strides: 1 });
    expect(diffDesigns(before, analyze(before), pair, analyze(pair))).toMatchObject({
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
    // no ports: input order is file order (docs/design-format.md#input-order)
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

describe('hand edits: connect, add below, paste', () => {
  const merge = (): Design => ({
    format: 'convas.design', version: 1, name: 'm',
    nodes: [
      { id: 'in', kind: 'input', params: { shape: [8, 8, 2] } },
      { id: 'a', kind: 'conv2d', params: { filters: 2, kernelSize: 1 } },
      { id: 'b', kind: 'conv2d', params: { filters: 2, kernelSize: 1 } },
      { id: 'sum', kind: 'add', params: {} },
    ],
    edges: [{ id: 'e1', source: 'in', target: 'a' }, { id: 'e2', source: 'in', target: 'b' }],
  });

  it('connectNodes wires a merge\'s inputs in the order they are connected (ports 0, 1)', () => {
    let d = merge();
    expect(nextTargetPort(d, 'sum')).toBe(0);
    const r1 = connectNodes(d, 'b', 'sum');
    if (!r1.ok) throw new Error(r1.reason);
    d = r1.design;
    expect(r1.edge).toEqual({ id: 'e3', source: 'b', target: 'sum', targetPort: 0 });
    const r2 = connectNodes(d, 'a', 'sum');
    if (!r2.ok) throw new Error(r2.reason);
    expect(r2.edge.targetPort).toBe(1);
    expect(analyze(r2.design).nodes.find((n) => n.id === 'sum')!.inputs).toEqual(['b', 'a']);
  });

  it('connectNodes refuses, with the reason, what the target cannot take; the design is untouched', () => {
    const d = merge();
    expect(connectNodes(d, 'in', 'a')).toEqual({ ok: false, severity: 'info', reason: 'a already takes in as an input' });
    expect(connectNodes(d, 'b', 'a')).toMatchObject({ ok: false, severity: 'error', reason: expect.stringMatching(/takes one input; remove its input first/) });
    expect(connectNodes(d, 'a', 'in')).toMatchObject({ ok: false, reason: expect.stringMatching(/takes no inputs/) });
    expect(connectNodes(d, 'a', 'a')).toMatchObject({ ok: false, severity: 'error' });
    expect(connectNodes(d, 'a', 'nope')).toMatchObject({ ok: false, reason: "no layer 'nope' to connect" });
    expect(d.edges).toHaveLength(2);
  });

  it('addNode: the kind\'s defaults under the given params, a fresh id from the base, wired from the anchor', () => {
    const d = merge();
    const r = addNode(d, { kind: 'conv2d', params: { kernelSize: 1 }, id: 'conv1x1', position: { x: 10.4, y: 99.6 } }, 'a')!;
    expect(r.id).toBe('conv1x1');
    const n = r.design.nodes.find((x) => x.id === r.id)!;
    expect(n.position).toEqual({ x: 10, y: 100 });
    expect(n.params).toMatchObject({ kernelSize: 1, filters: expect.any(Number) });
    expect(r.design.edges.at(-1)).toEqual({ id: 'e3', source: 'a', target: 'conv1x1' });
    const again = addNode(r.design, { kind: 'conv2d', params: {}, position: { x: 0, y: 0 } })!;
    expect(again.id).toBe('conv2d');
    expect(addNode(again.design, { kind: 'conv2d', params: {}, position: { x: 0, y: 0 } })!.id).toBe('conv2d_2');
    // into a merge: port 0; an input takes no wire; an unknown kind is refused
    expect(addNode(d, { kind: 'concat', params: {}, position: { x: 0, y: 0 } }, 'a')!.design.edges.at(-1)).toMatchObject({ source: 'a', targetPort: 0 });
    expect(addNode(d, { kind: 'input', params: {}, position: { x: 0, y: 0 } }, 'a')!.design.edges).toHaveLength(2);
    expect(addNode(d, { kind: 'nope', params: {}, position: { x: 0, y: 0 } })).toBeNull();
  });

  it('pasteFragment keeps a free id, numbers on from a taken one, keeps the wiring and wires the entries from `from`', () => {
    const d = merge();
    const f = extractFragment(d, ['a', 'b']);
    const pasted = pasteFragment(d, f, { offset: { x: 60, y: 60 } }, 'in');
    expect(pasted.ids).toEqual(['a_2', 'b_2']);
    const onEmpty = pasteFragment({ ...d, nodes: [d.nodes[0]], edges: [] }, f, { at: { x: 0, y: 0 } });
    expect(onEmpty.ids).toEqual(['a', 'b']);
    const twice = pasteFragment(pasted.design, extractFragment(pasted.design, ['a_2']), { offset: { x: 0, y: 0 } });
    expect(twice.ids).toEqual(['a_3']);
    const wires = pasted.design.edges.slice(2).map((e) => `${e.source}>${e.target}`);
    expect(wires).toEqual(['in>a_2', 'in>b_2']);
    expect(new Set(pasted.design.edges.map((e) => e.id)).size).toBe(pasted.design.edges.length);
    expect(analyze(pasted.design).nodes.find((n) => n.id === 'b_2')!.outputShape).toEqual([8, 8, 2]);
  });
});

describe('edits by hand (the Inspector, a drag, Delete, the clipboard)', () => {
  it('replaceParams replaces the params whole (a dropped key goes back to its default), unlike setNodeParams', () => {
    const d = chain();
    const r = replaceParams(d, 'c', { filters: 4, kernelSize: 5 });
    expect(r.nodes[1].params).toEqual({ filters: 4, kernelSize: 5 });
    expect(setNodeParams(d, 'c', { filters: 4 }).nodes[1].params).toEqual({ filters: 4, kernelSize: 5, padding: 'same' });
    // padding back to its default 'valid': 16 − 5 + 1 = 12
    expect(analyze(r).nodes.find((n) => n.id === 'c')!.outputShape).toEqual([12, 12, 4]);
    expect(r.nodes[0]).toBe(d.nodes[0]);
    expect(d.nodes[1].params).toEqual({ filters: 8, kernelSize: 5, padding: 'same' });
    expect(replaceParams(d, 'nope', {})).toBe(d);
  });

  it('renameNode sets a display name, and an empty one removes it', () => {
    const d = chain();
    const named = renameNode(d, 'c', 'stem');
    expect(named.nodes[1]).toMatchObject({ id: 'c', name: 'stem' });
    const cleared = renameNode(named, 'c', '');
    expect('name' in cleared.nodes[1]).toBe(false);
    expect(cleared.nodes[1]).toEqual(d.nodes[1]);
    expect(renameNode(d, 'nope', 'x')).toBe(d);
  });

  it('moveNodes moves the named nodes, to whole pixels unless told not to round', () => {
    const d = chain();
    const moved = moveNodes(d, { c: { x: 10.4, y: 20.6 } });
    expect(moved.nodes[1].position).toEqual({ x: 10, y: 21 });
    expect(moved.nodes[0]).toBe(d.nodes[0]);
    expect(moveNodes(d, { c: { x: 10.4, y: 20.6 } }, { round: false }).nodes[1].position).toEqual({ x: 10.4, y: 20.6 });
    // an id that is an Object.prototype key is a plain key, not an inherited one
    expect(moveNodes(d, { toString: { x: 1, y: 1 } } as Record<string, { x: number; y: number }>)).toBe(d);
  });

  it('removeNodes takes the nodes with every edge that touches them, and the named edges', () => {
    const d = chain();
    const noConv = removeNodes(d, ['c']);
    expect(noConv.nodes.map((n) => n.id)).toEqual(['in', 'r']);
    expect(noConv.edges).toEqual([]);
    expect(noConv.groups).toEqual(d.groups);
    const noWire = removeNodes(d, [], [d.edges[1].id!]);
    expect(noWire.nodes).toHaveLength(3);
    expect(noWire.edges).toEqual([d.edges[0]]);
  });

  it('offsetFragment moves every node of a fragment (an unplaced one from the origin), wiring kept', () => {
    const d = chain();
    const f = extractFragment(d, ['in', 'c', 'r']);
    const moved = offsetFragment(f, { x: 60, y: 60 });
    expect(moved.nodes.map((n) => n.position)).toEqual([{ x: 60, y: 60 }, { x: 60, y: 260 }, { x: 60, y: 60 }]);
    expect(moved.edges).toBe(f.edges);
    expect(f.nodes[0].position).toEqual({ x: 0, y: 0 });
  });
});
