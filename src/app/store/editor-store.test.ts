import { describe, expect, it } from 'vitest';
import { analyze, emptyDesign, extractFragment, nodeDepths, pasteFragment, type Design } from '../../engine/index.ts';
import { quickFixes } from '../../engine/quick-fixes.ts';
import { createEditorStore } from './editor-store.ts';

const chain = (): Design => ({
  ...emptyDesign('t'),
  nodes: [
    { id: 'in', kind: 'input', params: { shape: [8, 8, 3] }, position: { x: 0, y: 0 } },
    { id: 'c', kind: 'conv2d', params: { filters: 4, kernelSize: 3 }, position: { x: 0, y: 100 } },
  ],
  edges: [{ id: 'e1', source: 'in', target: 'c' }],
});

describe('editor store', () => {
  it('a quick fix is one undo step on the design it was found on, and is refused on a design that changed since', () => {
    // a 5×5 kernel on a 3×3 input: "padding same" is the first fix
    const d: Design = { ...chain(), nodes: [{ ...chain().nodes[0], params: { shape: [3, 3, 3] } }, { ...chain().nodes[1], params: { filters: 4, kernelSize: 5 } }] };
    const store = createEditorStore(d);
    const base = store.getState().design;
    const node = base.nodes[1];
    const [fix] = quickFixes(base, node, analyze(base).nodes[1], Object.fromEntries(nodeDepths(base)));
    expect(fix.message).toBe("Set padding 'same' (keeps the kernel 5×5)");
    // the design changes between the render that offered the fix and the click (an auto-layout landing)
    store.getState().moveNodes({ in: { x: 40, y: 0 } });
    const moved = store.getState().design;
    expect(store.getState().applyQuickFix(fix, base)).toBe(false);
    expect(store.getState().design).toBe(moved);
    // offered again on the current design, it applies as one undo step and keeps the move
    const [again] = quickFixes(moved, moved.nodes[1], analyze(moved).nodes[1], Object.fromEntries(nodeDepths(moved)));
    expect(store.getState().applyQuickFix(again, moved)).toBe(true);
    expect(store.getState().analysis.valid).toBe(true);
    expect(store.getState().nodesById.in.position).toEqual({ x: 40, y: 0 });
    store.getState().undo();
    expect(store.getState().design).toEqual(moved);
  });

  it('a new wire into a merge becomes its last input, whatever ports the others have (docs/design-format.md#input-order)', () => {
    const conv = (id: string, filters: number, y: number) => ({ id, kind: 'conv2d', params: { filters, kernelSize: 1 }, position: { x: 0, y } });
    const d: Design = {
      ...emptyDesign('m'),
      nodes: [
        { id: 'in', kind: 'input', params: { shape: [4, 4, 1] }, position: { x: 0, y: 0 } },
        conv('x', 1, 100), conv('y', 2, 100), conv('z', 3, 100), conv('w', 4, 100),
        { id: 'cat', kind: 'concat', params: {}, position: { x: 0, y: 200 } },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'x' }, { id: 'e2', source: 'in', target: 'y' }, { id: 'e3', source: 'in', target: 'z' },
        { id: 'e4', source: 'in', target: 'w' },
        // file order x, y, z, but z holds port 0: the inputs are z, x, y
        { id: 'e5', source: 'x', target: 'cat' }, { id: 'e6', source: 'y', target: 'cat' }, { id: 'e7', source: 'z', target: 'cat', targetPort: 0 },
      ],
    };
    const store = createEditorStore(d);
    expect(store.getState().nodeAnalysis.cat.inputs).toEqual(['z', 'x', 'y']);
    expect(store.getState().connect('w', 'cat')).toBe(true);
    expect(store.getState().nodeAnalysis.cat.inputs).toEqual(['z', 'x', 'y', 'w']);
    expect(store.getState().analysis.valid).toBe(true);
  });

  it('gives a fresh id to every edge a file left without one, and keeps the given ones', () => {
    const d = chain();
    d.nodes.push({ id: 'd', kind: 'conv2d', params: { filters: 4, kernelSize: 1 }, position: { x: 0, y: 200 } });
    d.edges = [{ source: 'in', target: 'c' }, { id: 'e1', source: 'c', target: 'd' }];
    const store = createEditorStore(d);
    expect(store.getState().design.edges).toEqual([{ id: 'e2', source: 'in', target: 'c' }, { id: 'e1', source: 'c', target: 'd' }]);
    store.getState().loadDesign({ ...d, nodes: d.nodes.slice(0, 2), edges: [{ source: 'in', target: 'c' }] });
    expect(store.getState().design.edges).toEqual([{ id: 'e1', source: 'in', target: 'c' }]);
    expect(store.getState().analysis.valid).toBe(true);
  });

  it('analyses the design and keeps one entry per node', () => {
    const s = createEditorStore(chain()).getState();
    expect(s.nodeAnalysis.c.outputShape).toEqual([6, 6, 4]);
    expect(s.analysis.totals.params).toBe(3 * 3 * 3 * 4 + 4);
  });

  it('undoes and redoes edits, and keeps untouched analysis entries identical', () => {
    const store = createEditorStore(chain());
    const inBefore = store.getState().nodeAnalysis.in;
    store.getState().setParams('c', { filters: 8, kernelSize: 3 });
    expect(store.getState().nodeAnalysis.c.outputShape).toEqual([6, 6, 8]);
    expect(store.getState().nodeAnalysis.in).toBe(inBefore);
    store.getState().undo();
    expect(store.getState().nodeAnalysis.c.outputShape).toEqual([6, 6, 4]);
    store.getState().redo();
    expect(store.getState().nodeAnalysis.c.outputShape).toEqual([6, 6, 8]);
  });

  it('merges quick edits of one field into one undo step', () => {
    const store = createEditorStore(chain());
    store.getState().setParams('c', { filters: 1, kernelSize: 3 }, 'f');
    store.getState().setParams('c', { filters: 12, kernelSize: 3 }, 'f');
    store.getState().setParams('c', { filters: 128, kernelSize: 3 }, 'f');
    expect(store.getState().past).toHaveLength(1);
    store.getState().undo();
    expect(store.getState().design.nodes[1].params.filters).toBe(4);
  });

  it('refuses a second input into a single-input layer, with a message', () => {
    const store = createEditorStore(chain());
    store.getState().addNode('input', { x: 200, y: 0 });
    expect(store.getState().connect('input', 'c')).toBe(false);
    expect(store.getState().notice?.text).toMatch(/takes one input/);
    expect(store.getState().design.edges).toHaveLength(1);
  });

  it('numbers the inputs of a merge in the order they are wired', () => {
    const store = createEditorStore(chain());
    const add = store.getState().addNode('concat', { x: 0, y: 200 })!;
    store.getState().connect('c', add);
    store.getState().connect('in', add);
    const ports = store.getState().design.edges.filter((e) => e.target === add).map((e) => [e.source, e.targetPort]);
    expect(ports).toEqual([['c', 0], ['in', 1]]);
  });

  it('deletes the selection with its edges as one step', () => {
    const store = createEditorStore(chain());
    store.getState().select(['c']);
    store.getState().removeSelected();
    expect(store.getState().design.edges).toHaveLength(0);
    store.getState().undo();
    expect(store.getState().design.nodes).toHaveLength(2);
  });
});

describe('fragments', () => {
  it('pastes with fresh ids and keeps the inner wiring', () => {
    const d = chain();
    const f = extractFragment(d, ['in', 'c']);
    const r = pasteFragment(d, f, { offset: { x: 50, y: 0 } });
    expect(r.ids).toEqual(['in_2', 'c_2']);
    expect(r.design.edges.at(-1)).toMatchObject({ source: 'in_2', target: 'c_2' });
    expect(r.design.nodes.at(-1)!.position).toEqual({ x: 50, y: 100 });
  });
});
