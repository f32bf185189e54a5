import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addNode, emptyDesign, pasteFragment, type Design } from '../index.ts';
import { overlapping } from '../../../test/support/overlap.ts';
import { getBlock, repeatBlock } from '../blocks.ts';
import { boundsOf, COLUMN, pasteSpot, PASTE_STEP, placeBelowSelection, placeOnEdge, placeUnpositioned, ROW } from './placement.ts';

const withInput = (): Design => ({
  ...emptyDesign('p'),
  nodes: [{ id: 'in', kind: 'input', params: { shape: [28, 28, 192] }, position: { x: 0, y: 0 } }],
  edges: [],
});

describe('placement rule', () => {
  it('puts the first child one row below its parent, and siblings side by side to its right', () => {
    let d = withInput();
    for (let i = 0; i < 3; i++) {
      const { anchor, at } = placeBelowSelection(d, ['in']);
      d = addNode(d, { kind: 'conv2d', params: { kernelSize: 1 }, position: at, id: 'conv1x1' }, anchor?.id)!.design;
    }
    const pos = d.nodes.slice(1).map((n) => n.position);
    expect(pos).toEqual([{ x: 0, y: ROW }, { x: COLUMN, y: ROW }, { x: 2 * COLUMN, y: ROW }]);
    expect(d.edges.map((e) => [e.source, e.target])).toEqual([['in', 'conv1x1'], ['in', 'conv1x1_2'], ['in', 'conv1x1_3']]);
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
        let d = withInput();
        for (const step of steps) {
          const ids = d.nodes.map((n) => n.id);
          const sel = [ids[step.anchor % ids.length]];
          if (step.block) {
            const f = repeatBlock(getBlock(step.key)!, 192, 1);
            const { anchor, at } = placeBelowSelection(d, sel, boundsOf(f.nodes));
            d = pasteFragment(d, f, { at }, anchor?.id).design;
          } else {
            const { anchor, at } = placeBelowSelection(d, sel);
            d = addNode(d, { kind: 'conv2d', params: {}, position: at }, anchor?.id)!.design;
          }
        }
        expect(overlapping(d.nodes)).toBeNull();
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

describe('provisional places and pastes', () => {
  it('places unpositioned nodes by depth (a row each), side by side within a row, and keeps the placed ones', () => {
    const d: Design = {
      ...emptyDesign('u'),
      nodes: [
        { id: 'in', kind: 'input', params: { shape: [8, 8, 3] } },
        { id: 'a', kind: 'conv2d', params: {} },
        { id: 'b', kind: 'conv2d', params: {}, position: { x: 900, y: 900 } },
        { id: 'c', kind: 'conv2d', params: {} },
      ],
      edges: [{ id: 'e1', source: 'in', target: 'a' }, { id: 'e2', source: 'in', target: 'b' }, { id: 'e3', source: 'in', target: 'c' }],
    };
    const placed = placeUnpositioned(d);
    expect(placed.nodes.map((n) => n.position)).toEqual([{ x: 0, y: 0 }, { x: 0, y: 130 }, { x: 900, y: 900 }, { x: 240, y: 130 }]);
    expect(placeUnpositioned(placed)).toBe(placed);
  });

  it('a copy lands a paste step right of and below its original, or at the next clear spot', () => {
    const d = withInput();
    d.nodes.push({ id: 'far', kind: 'conv2d', params: {}, position: { x: 0, y: 1000 } });
    const f = { nodes: [{ id: 'far', kind: 'conv2d', params: {}, position: { x: 0, y: 1000 } }], edges: [] };
    expect(pasteSpot(withInput(), f)).toEqual({ x: PASTE_STEP, y: 1000 + PASTE_STEP });
    // the original at (0, 1000) is too close to (60, 1060): the scan moves one column right
    expect(pasteSpot(d, f)).toEqual({ x: PASTE_STEP + COLUMN, y: 1000 + PASTE_STEP });
  });
});
