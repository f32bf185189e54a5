import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emptyDesign, type Design, type DesignNode } from '../index.ts';
import { createEditorStore } from '../../app/store/editor-store.ts';
import { NODE_HEIGHT, NODE_WIDTH } from './node-size.ts';
import { getBlock, repeatBlock } from '../blocks.ts';
import { boundsOf, COLUMN, placeBelowSelection, placeOnEdge, ROW } from './placement.ts';

/** Brute force: every pair of layer rectangles, do any two share an interior point? */
function overlapping(nodes: DesignNode[]): [string, string] | null {
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i].position!;
      const b = nodes[j].position!;
      if (Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT) return [nodes[i].id, nodes[j].id];
    }
  }
  return null;
}

const withInput = (): Design => ({
  ...emptyDesign('p'),
  nodes: [{ id: 'in', kind: 'input', params: { shape: [28, 28, 192] }, position: { x: 0, y: 0 } }],
  edges: [],
});

describe('placement rule', () => {
  it('puts the first child one row below its parent, and siblings side by side to its right', () => {
    const store = createEditorStore(withInput());
    for (let i = 0; i < 3; i++) {
      const s = store.getState();
      const { anchor, at } = placeBelowSelection(s.design, ['in']);
      s.addNode('conv2d', at, { kernelSize: 1 }, anchor?.id, 'conv1x1');
    }
    const pos = store.getState().design.nodes.slice(1).map((n) => n.position);
    expect(pos).toEqual([{ x: 0, y: ROW }, { x: COLUMN, y: ROW }, { x: 2 * COLUMN, y: ROW }]);
    expect(store.getState().design.edges.map((e) => [e.source, e.target])).toEqual([['in', 'conv1x1'], ['in', 'conv1x1_2'], ['in', 'conv1x1_3']]);
  });

  it('with nothing selected, goes below the lowest layer', () => {
    const d = withInput();
    d.nodes.push({ id: 'c', kind: 'conv2d', params: {}, position: { x: 300, y: 500 } });
    expect(placeBelowSelection(d, []).at).toEqual({ x: 300, y: 500 + ROW });
    expect(placeBelowSelection(emptyDesign('e'), []).at).toEqual({ x: 0, y: 0 });
  });

  it('never overlaps: any sequence of clicks and blocks on any selection (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ anchor: fc.nat(40), block: fc.boolean(), key: fc.constantFrom('residual-basic', 'inception', 'transition') }), { minLength: 1, maxLength: 14 }),
      (steps) => {
        const store = createEditorStore(withInput());
        for (const step of steps) {
          const s = store.getState();
          const ids = s.design.nodes.map((n) => n.id);
          const sel = [ids[step.anchor % ids.length]];
          if (step.block) {
            const f = repeatBlock(getBlock(step.key)!, 192, 1);
            const { anchor, at } = placeBelowSelection(s.design, sel, boundsOf(f.nodes));
            s.insertFragment(f, { at }, anchor?.id);
          } else {
            const { anchor, at } = placeBelowSelection(s.design, sel);
            s.addNode('conv2d', at, {}, anchor?.id);
          }
        }
        expect(overlapping(store.getState().design.nodes)).toBeNull();
      },
    ), { numRuns: 60 });
  });

  it('an insert on a chain edge takes the target\'s place and pushes everything below down one row', () => {
    const d: Design = {
      ...withInput(),
      nodes: [
        ...withInput().nodes,
        { id: 'a', kind: 'conv2d', params: {}, position: { x: 0, y: ROW } },
        { id: 'b', kind: 'dense', params: { units: 10 }, position: { x: 0, y: 2 * ROW } },
        { id: 'side', kind: 'input', params: { shape: [4] }, position: { x: 500, y: 2 * ROW } },
      ],
      edges: [{ id: 'e1', source: 'in', target: 'a' }, { id: 'e2', source: 'a', target: 'b' }],
    };
    const r = placeOnEdge(d, d.edges[1], { id: 'flat', kind: 'flatten', params: {} });
    const at = Object.fromEntries(r.nodes.map((n) => [n.id, n.position]));
    expect(at.flat).toEqual({ x: 0, y: 2 * ROW });
    expect(at.b).toEqual({ x: 0, y: 3 * ROW });
    expect(at.side).toEqual({ x: 500, y: 3 * ROW });
    expect(at.a).toEqual({ x: 0, y: ROW });
    expect(r.edges.map((e) => `${e.source}>${e.target}`).sort()).toEqual(['a>flat', 'flat>b', 'in>a']);
    expect(overlapping(r.nodes)).toBeNull();
  });

  it('an insert on a skip edge into a merge goes beside the merge, on the skip\'s side', () => {
    const d: Design = {
      ...withInput(),
      nodes: [
        ...withInput().nodes,
        { id: 'c', kind: 'conv2d', params: { filters: 8, strides: 2 }, position: { x: 0, y: ROW } },
        { id: 'sum', kind: 'add', params: {}, position: { x: 0, y: 2 * ROW } },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'c' },
        { id: 'e2', source: 'c', target: 'sum', targetPort: 0 },
        { id: 'e3', source: 'in', target: 'sum', targetPort: 1 },
      ],
    };
    const r = placeOnEdge(d, d.edges[2], { id: 'proj', kind: 'conv2d', params: { kernelSize: 1 } });
    const at = Object.fromEntries(r.nodes.map((n) => [n.id, n.position]));
    expect(at.proj).toEqual({ x: COLUMN, y: 2 * ROW });
    expect(at.sum).toEqual({ x: 0, y: 3 * ROW });
    expect(r.edges.find((e) => e.source === 'proj')).toMatchObject({ target: 'sum', targetPort: 1 });
    expect(overlapping(r.nodes)).toBeNull();
  });
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
});
