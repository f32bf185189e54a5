/**
 * The store's composition: each slice answers a change with its own fields only, and one action of the design
 * slice is one `set` (one notice to subscribers), the other slices' fields in it.
 */

import { describe, expect, it } from 'vitest';
import { AnalysisCache, adviseDetailed, emptyDesign, type Design } from '../../engine/index.ts';
import { createDesignSlice } from './design-slice.ts';
import { createDerivedSlice, derivedAfter } from './derived.ts';
import { createEditorStore } from './editor-store.ts';
import type { EditorState, StoreContext, StoreEvent } from './state.ts';
import { createViewSlice, viewAfter } from './view-slice.ts';

const chain = (): Design => ({
  ...emptyDesign('t'),
  nodes: [
    { id: 'in', kind: 'input', params: { shape: [8, 8, 3] }, position: { x: 0, y: 0 } },
    { id: 'c', kind: 'conv2d', params: { filters: 4, kernelSize: 3 }, position: { x: 0, y: 100 } },
    { id: 'f', kind: 'flatten', params: {}, position: { x: 0, y: 200 } },
    { id: 'd', kind: 'dense', params: { units: 10 }, position: { x: 0, y: 300 } },
  ],
  edges: [{ id: 'e1', source: 'in', target: 'c' }, { id: 'e2', source: 'c', target: 'f' }, { id: 'e3', source: 'f', target: 'd' }],
});

/** The names a slice holds (fields and actions), read from a slice built alone. */
function namesOf(make: (ctx: StoreContext) => (set: never, get: never, api: never) => object): Set<string> {
  const ctx: StoreContext = { initial: chain(), issues: [], needsLayout: false, cache: new AnalysisCache(), after: () => ({}) };
  return new Set(Object.keys(make(ctx)(undefined as never, undefined as never, undefined as never)));
}

describe('the slices', () => {
  it('answer every event with their own fields only', () => {
    const derived = namesOf(createDerivedSlice);
    const view = namesOf(createViewSlice);
    const design = namesOf(createDesignSlice);
    for (const names of [derived, view]) for (const k of design) expect(names.has(k)).toBe(false);
    const store = createEditorStore(chain());
    store.getState().select(['c']);
    const s: EditorState = store.getState();
    const d = s.design;
    const events: StoreEvent[] = [
      { type: 'open', design: d, issues: [], needsLayout: true },
      { type: 'edit', design: d, issues: [], select: ['c'], follow: true, applied: true, laidOut: true },
      { type: 'edit', design: d, issues: [] },
      { type: 'history', design: d, issues: [] },
      { type: 'layout', design: d, issues: [] },
      { type: 'advice', design: d, advice: [] },
    ];
    for (const e of events) {
      for (const k of Object.keys(derivedAfter(e, s, new AnalysisCache()))) expect(derived.has(k), `${e.type}: ${k}`).toBe(true);
      for (const k of Object.keys(viewAfter(e, s))) expect(view.has(k), `${e.type}: ${k}`).toBe(true);
    }
  });

  it('opening a design is one set that starts every slice afresh', () => {
    const store = createEditorStore(chain());
    const s0 = store.getState();
    s0.select(['c'], ['e1']);
    s0.pinBaseline();
    s0.refreshAdvice();
    const item = store.getState().advice[0];
    expect(item).toBeDefined();
    store.getState().setPreview(item);
    expect(store.getState().preview).not.toBeNull();
    const before = store.getState();
    let sets = 0;
    store.subscribe(() => sets++);
    const next = { ...chain(), nodes: chain().nodes.map(({ position: _p, ...n }) => n) };
    store.getState().loadDesign(next);
    const s = store.getState();
    expect(sets).toBe(1);
    expect(s.past).toEqual([before.design]);
    expect(s.design.nodes.every((n) => n.position)).toBe(true);
    expect([s.selection, s.selectedEdges, s.advice, s.adviceFor, s.baseline, s.comparison, s.preview]).toEqual([[], [], [], null, null, null, null]);
    expect([s.fitSeq, s.loadSeq, s.needsLayout]).toEqual([before.fitSeq + 1, before.loadSeq + 1, true]);
    expect(s.analysis.totals.params).toBe(before.analysis.totals.params);
  });

  it('an edit is one set: the design, its analysis and the selection of what it made', () => {
    const store = createEditorStore(chain());
    let sets = 0;
    store.subscribe(() => sets++);
    const id = store.getState().addNode('dense', { x: 0, y: 400 }, { units: 3 }, 'd')!;
    expect(sets).toBe(1);
    expect(store.getState().selection).toEqual([id]);
    expect(store.getState().nodeAnalysis[id].outputShape).toEqual([3]);
    const ids = store.getState().insertFragment({ nodes: [{ id: 'x', kind: 'dense', params: { units: 2 } }], edges: [] }, { at: { x: 0, y: 500 } }, id);
    expect(sets).toBe(2);
    expect([store.getState().selection, store.getState().followIds]).toEqual([ids, ids]);
    store.getState().removeSelected();
    expect(sets).toBe(3);
    expect(store.getState().selection).toEqual([]);
    expect(store.getState().nodesById[ids[0]]).toBeUndefined();
  });

  it('undo and redo keep only the selected layers that still exist, and end the advice preview', () => {
    const store = createEditorStore(chain());
    const preview = () => {
      const item = store.getState().refreshAdvice()[0];
      expect(item).toBeDefined();
      store.getState().setPreview(item);
      expect(store.getState().preview).not.toBeNull();
    };
    const x = store.getState().addNode('dense', { x: 0, y: 400 }, { units: 3 }, 'd')!;
    store.getState().select(['c', x]);
    preview();
    store.getState().undo(); // x is gone
    expect([store.getState().selection, store.getState().preview]).toEqual([['c'], null]);
    store.getState().redo(); // x is back: nothing selects it again
    store.getState().select([x]);
    store.getState().removeSelected();
    store.getState().undo();
    store.getState().select(['c', x]);
    preview();
    store.getState().redo(); // x is removed again
    expect([store.getState().selection, store.getState().preview]).toEqual([['c'], null]);
  });

  it('advice that no longer names the previewed item ends its preview', () => {
    const store = createEditorStore(chain());
    const s = store.getState();
    const advice = adviseDetailed(s.design, s.analysis);
    s.setAdvice(s.design, advice);
    store.getState().setPreview(advice[0]);
    store.getState().setAdvice(s.design, advice);
    expect(store.getState().preview).not.toBeNull();
    store.getState().setAdvice(s.design, []);
    expect(store.getState().preview).toBeNull();
  });
});
