/**
 * One user action, one undo step: the store's side of edits whose design rules the engine tests alone
 * (src/engine/groups.test.ts, src/engine/layout/placement.test.ts).
 */

import { describe, expect, it } from 'vitest';
import { emptyDesign, type Design } from '../../engine/index.ts';
import { getBlock, repeatBlock } from '../../engine/blocks.ts';
import { boundsOf, placeBelowSelection } from '../../engine/layout/placement.ts';
import { groupedChain } from '../../../test/fixtures/grouped-chain.ts';
import { overlapping } from '../../../test/support/overlap.ts';
import { createEditorStore } from './editor-store.ts';

const withInput = (): Design => ({
  ...emptyDesign('p'),
  nodes: [{ id: 'in', kind: 'input', params: { shape: [28, 28, 192] }, position: { x: 0, y: 0 } }],
  edges: [],
});


describe('one undo step per action', () => {
  it('a click-add with its wire, a block, a paste each undo in one step', () => {
    const store = createEditorStore(withInput());
    const s = store.getState();
    const { anchor, at } = placeBelowSelection(s.design, ['in']);
    s.addNode('conv2d', at, {}, anchor?.id);
    expect(store.getState().past).toHaveLength(1);
    store.getState().undo();
    expect(store.getState().design.nodes.map((n) => n.id)).toEqual(['in']);
    expect(store.getState().design.edges).toEqual([]);

    const f = repeatBlock(getBlock('inception')!, 192, 1);
    store.getState().insertFragment(f, { at: placeBelowSelection(store.getState().design, ['in'], boundsOf(f.nodes)).at }, 'in');
    store.getState().select(store.getState().design.nodes.map((n) => n.id).filter((id) => id !== 'in'));
    store.getState().copy();
    store.getState().paste();
    const pasted = store.getState().design;
    expect(pasted.nodes).toHaveLength(17);
    expect(overlapping(pasted.nodes)).toBeNull();
    store.getState().undo();
    expect(store.getState().design.nodes).toHaveLength(9);
    store.getState().undo();
    expect(store.getState().design.nodes).toHaveLength(1);
    expect(store.getState().design.edges).toEqual([]);
  });

  it('grouping the selection is one undo step, and the analysis gives the group its totals', () => {
    const store = createEditorStore(groupedChain());
    store.getState().select(['b', 'c']);
    const id = store.getState().groupSelection({ label: 'Head' });
    expect(store.getState().design.nodes.find((n) => n.id === 'c')!.group).toBe(id);
    expect(store.getState().analysis.groups.map((g) => g.id)).toContain(id);
    store.getState().undo();
    expect(store.getState().design).toEqual(groupedChain());
    store.getState().redo();
    store.getState().ungroup(id!);
    expect(store.getState().design.nodes.find((n) => n.id === 'c')!.group).toBeUndefined();
  });
});
