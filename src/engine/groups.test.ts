import { describe, expect, it } from 'vitest';
import { analyze, type Design } from './index.ts';
import { exactGroup, groupNodes, setCollapsed, ungroup } from './groups.ts';
import { groupedChain } from '../../test/fixtures/grouped-chain.ts';

const design = groupedChain;

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
});

describe('collapsing a group', () => {
  const NODE = { width: 200, height: 74 };
  /** in, then a two-layer group a-b, then c below it; `side` stands beside the group, off its columns */
  const tall = (): Design => {
    const d = design();
    d.nodes.push({ id: 'side', kind: 'flatten', params: {}, position: { x: 600, y: 250 } });
    d.edges.push({ id: 'e4', source: 'in', target: 'side' });
    return d;
  };

  it('moves the layers below the group up by the space it gives back, and leaves layers beside it', () => {
    const d = setCollapsed(tall(), 'old', true, NODE);
    expect(d.groups![0].collapsed).toBe(true);
    const pos = (id: string) => d.nodes.find((n) => n.id === id)!.position;
    // members at y 100 and 200: the box is 100..274; collapsed it is 100..174, so 100 px come back
    expect(pos('c')).toEqual({ x: 0, y: 200 });
    expect(pos('a')).toEqual({ x: 0, y: 100 });
    expect(pos('b')).toEqual({ x: 0, y: 200 });
    expect(pos('side')).toEqual({ x: 600, y: 250 });
    expect(pos('in')).toEqual({ x: 0, y: 0 });
  });

  it('expanding again restores every position exactly', () => {
    const d0 = tall();
    expect(setCollapsed(setCollapsed(d0, 'old', true, NODE), 'old', false, NODE)).toEqual(d0);
  });

  it('does nothing for an unknown group or a group already in that state', () => {
    const d0 = tall();
    expect(setCollapsed(d0, 'nope', true, NODE)).toBe(d0);
    expect(setCollapsed(d0, 'old', false, NODE)).toBe(d0);
  });
});

describe('collapse all / expand all', () => {
  it('collapses every group to one box (nothing overlaps) and expands back to the same positions', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseDesignText } = await import('./index.ts');
    const { setAllCollapsed, outlineIfBig } = await import('./groups.ts');
    const r = parseDesignText(readFileSync('presets/densenet121.convas.json', 'utf8'));
    if (!r.ok) throw new Error(r.error);
    const node = { width: 200, height: 74 };
    const outline = outlineIfBig(r.design, node);
    expect(outline.groups!.every((g) => g.collapsed)).toBe(true);
    // what shows: layers outside groups and one box per group (at its first member's place); none overlap
    const shown = new Map<string, { x: number; y: number }>();
    for (const n of outline.nodes) {
      const key = n.group ?? n.id;
      if (!shown.has(key) || n.position!.y < shown.get(key)!.y) shown.set(key, n.position!);
    }
    expect(shown.size).toBe(r.design.nodes.filter((n) => !n.group).length + r.design.groups!.length);
    const boxes = [...shown.values()];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      expect(Math.abs(boxes[i].x - boxes[j].x) < 200 && Math.abs(boxes[i].y - boxes[j].y) < 74).toBe(false);
    }
    const back = setAllCollapsed(outline, false, node);
    expect(back.groups!.some((g) => g.collapsed)).toBe(false);
    expect(back.nodes.map((n) => n.position)).toEqual(r.design.nodes.map((n) => n.position));
  });
});

describe('exactGroup: a selection that is one group already', () => {
  it('names the group whose layers are exactly the selection, in any order, and no other', () => {
    const d = design();
    expect(exactGroup(d, ['b', 'a'])).toBe('old');
    expect(exactGroup(d, ['a'])).toBeNull(); // part of the group
    expect(exactGroup(d, ['a', 'b', 'c'])).toBeNull(); // the group and a layer outside it
    expect(exactGroup(d, ['in', 'c'])).toBeNull(); // no group
    expect(exactGroup(d, [])).toBeNull();
    expect(exactGroup(ungroup(d, 'old'), ['a', 'b'])).toBeNull();
  });
});
