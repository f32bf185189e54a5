import { describe, expect, it } from 'vitest';
import { analyze, emptyDesign, type Design } from '../core/index.ts';
import { createEditorStore } from './editor-store.ts';
import { groupNodes, ungroup } from './groups.ts';

const design = (): Design => ({
  ...emptyDesign('t'),
  nodes: [
    { id: 'in', kind: 'input', params: { shape: [8, 8, 3] }, position: { x: 0, y: 0 } },
    { id: 'a', kind: 'conv2d', params: { filters: 4, kernelSize: 3 }, position: { x: 0, y: 100 }, group: 'old' },
    { id: 'b', kind: 'conv2d', params: { filters: 4, kernelSize: 1 }, position: { x: 0, y: 200 }, group: 'old' },
    { id: 'c', kind: 'flatten', params: {}, position: { x: 0, y: 300 } },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'a' },
    { id: 'e2', source: 'a', target: 'b' },
    { id: 'e3', source: 'b', target: 'c' },
  ],
  groups: [{ id: 'old', kind: 'residual', label: 'Old' }],
});

describe('groups made by hand', () => {
  it('groups nodes under a fresh id with a label, and the analysis gives the group its totals', () => {
    const r = groupNodes(design(), ['b', 'c'], { kind: 'block', label: '  Head ' });
    expect(r.groupId).toBe('block_1');
    expect(r.design.groups).toContainEqual({ id: 'block_1', kind: 'block', label: 'Head' });
    expect(r.design.nodes.filter((n) => n.group === 'block_1').map((n) => n.id)).toEqual(['b', 'c']);
    const g = analyze(r.design).groups.find((x) => x.id === 'block_1')!;
    expect(g.params).toBe(1 * 1 * 4 * 4 + 4);
    expect(g.nodeCount).toBe(2);
  });

  it('takes nodes out of their old group and drops a group left empty', () => {
    const r = groupNodes(design(), ['a', 'b']);
    expect(r.design.groups!.map((g) => g.id)).toEqual(['block_1']);
    expect(r.design.groups![0].label).toBe('Block 1');
    const again = groupNodes(r.design, ['c'], { kind: 'transition' });
    expect(again.groupId).toBe('transition_1');
  });

  it('refuses an empty or unknown selection without changing the design', () => {
    const d = design();
    expect(groupNodes(d, [])).toEqual({ design: d, groupId: null });
    expect(groupNodes(d, ['nope']).design).toBe(d);
  });

  it('ungroups: layers stay, the group goes', () => {
    const d = ungroup(design(), 'old');
    expect(d.groups).toBeUndefined();
    expect(d.nodes.every((n) => n.group === undefined)).toBe(true);
    expect(d.nodes).toHaveLength(4);
    expect(ungroup(d, 'nope')).toBe(d);
  });

  it('is one undo step in the editor', () => {
    const store = createEditorStore(design());
    store.getState().select(['b', 'c']);
    const id = store.getState().groupSelection({ label: 'Head' });
    expect(store.getState().design.nodes.find((n) => n.id === 'c')!.group).toBe(id);
    expect(store.getState().analysis.groups.map((g) => g.id)).toContain(id);
    store.getState().undo();
    expect(store.getState().design).toEqual(design());
    store.getState().redo();
    store.getState().ungroup(id!);
    expect(store.getState().design.nodes.find((n) => n.id === 'c')!.group).toBeUndefined();
  });
});
