/**
 * The store's composition: each slice answers a change with its own fields only, and one action of the design
 * slice is one `set` (one notice to subscribers), the other slices' fields in it.
 */

import { describe, expect, it } from 'vitest';
import { AnalysisCache, adviseDetailed, emptyDesign, type Design } from '../../engine/index.ts';
import { createDesignSlice } from './design-slice.ts';
import { createDerivedSlice, derivedAfter } from './derived.ts';
import { createStore } from 'zustand/vanilla';
import { quickFixes } from '../../engine/quick-fixes.ts';
import { createEditorStore, EDITOR_SLICES, storeContext } from './editor-store.ts';
import type { Editor, EditorActions, EditorState, SetEditor, StoreContext, StoreEvent } from './state.ts';
import { createViewSlice, viewAfter } from './view-slice.ts';
import { createWeightsSlice, weightsAfter } from './weights-slice.ts';

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

type SliceName = keyof typeof EDITOR_SLICES;

/** One `set` of a slice: the fields it wrote, and what the composer joined into it (the other slices' answers). */
interface Write { slice: SliceName; step: string; partial: Partial<Editor>; joined: Partial<Editor> }

/**
 * The editor composed as createEditorStore composes it (its context and slices), each slice handed a `set` that
 * records what it writes, and the context's `after` recording the answers it joins.
 */
function recordedStore() {
  const writes: Write[] = [];
  const ctx = storeContext(chain());
  const after = ctx.after;
  let joined: Partial<Editor> = {};
  let step = 'create';
  ctx.after = (event, s) => {
    const answer = after(event, s);
    joined = { ...joined, ...answer };
    return answer;
  };
  const store = createStore<Editor>()((set, get, api) => {
    const recording = (slice: SliceName): SetEditor => ((partial: Partial<Editor> | ((s: Editor) => Partial<Editor>)) => {
      const p = typeof partial === 'function' ? partial(get()) : partial;
      writes.push({ slice, step, partial: p, joined });
      joined = {};
      set(p);
    }) as SetEditor;
    return {
      ...EDITOR_SLICES.design(ctx)(recording('design'), get, api),
      ...EDITOR_SLICES.derived(ctx)(recording('derived'), get, api),
      ...EDITOR_SLICES.view(ctx)(recording('view'), get, api),
      ...EDITOR_SLICES.weights()(recording('weights'), get, api),
    };
  });
  return { store, writes, at: (name: string) => { step = name; } };
}

/**
 * One call of every action (tsc names an action added without one), in an order where each has something to do:
 * a selection to copy, a clipboard to paste, advice to preview and apply, a group to dissolve.
 */
const STEPS: { [A in keyof EditorActions]: (s: () => Editor) => void } = {
  select: (s) => s().select(['c'], ['e1']),
  selectAll: (s) => s().selectAll(),
  copy: (s) => s().copy(),
  paste: (s) => s().paste(),
  notify: (s) => s().notify('info', 'note'),
  clearNotice: (s) => s().clearNotice(),
  setStat: (s) => s().setStat('macs'),
  follow: (s) => s().follow(['c']),
  reveal: (s) => s().reveal('c'),
  refreshAdvice: (s) => expect(s().refreshAdvice().length).toBeGreaterThan(0),
  setPreview: (s) => s().setPreview(s().advice[0]),
  showAdvice: (s) => s().showAdvice(),
  setFieldDraft: (s) => {
    s().setFieldDraft('c\u0000filters', '6x4');
    expect(s().fieldDrafts).toEqual({ 'c\u0000filters': '6x4' });
  },
  setAdvice: (s) => s().setAdvice(s().design, []),
  setBatch: (s) => s().setBatch(2),
  pinBaseline: (s) => s().pinBaseline(),
  unpinBaseline: (s) => s().unpinBaseline(),
  setTrainedWeights: (s) => s().setTrainedWeights({
    source: 't.onnx', byNode: new Map([['c', { kernel: { shape: [3, 3, 3, 4], data: new Float32Array(108) } }]]),
  }),
  addNode: (s) => s().addNode('dense', { x: 0, y: 400 }, { units: 3 }, 'd'),
  connect: (s) => s().connect('in', 'c'), // refused (conv2d takes one input): a notice
  setParams: (s) => s().setParams('c', { filters: 8, kernelSize: 3 }),
  rename: (s) => s().rename('c', 'conv'),
  moveNodes: (s) => s().moveNodes({ c: { x: 10, y: 100 } }),
  setPositions: (s) => {
    s().setPositions({ c: { x: 20, y: 100 } }, { record: false });
    s().setPositions({ c: { x: 30, y: 100 } });
  },
  undo: (s) => s().undo(),
  redo: (s) => s().redo(),
  duplicate: (s) => {
    s().select(['c']);
    s().duplicate();
  },
  groupSelection: (s) => {
    s().select(['c', 'f']);
    expect(s().groupSelection()).not.toBeNull();
  },
  ungroup: (s) => s().ungroup(s().design.groups![0].id),
  insertFragment: (s) => s().insertFragment({ nodes: [{ id: 'x', kind: 'dense', params: { units: 2 } }], edges: [] }, { at: { x: 0, y: 600 } }),
  edit: (s) => s().edit((d) => ({ ...d, name: 'renamed' })),
  removeSelected: (s) => s().removeSelected(),
  applyAdvice: (s) => expect(s().applyAdvice(s().refreshAdvice()[0])).toBe(true),
  applyQuickFix: (s) => {
    s().setParams('c', { filters: 8, kernelSize: 9 }); // larger than its 8×8 input: fixes are offered
    const { design, nodesById, nodeAnalysis, depth } = s();
    const fix = quickFixes(design, nodesById.c, nodeAnalysis.c, depth)[0];
    expect(fix).toBeDefined();
    expect(s().applyQuickFix(fix, design)).toBe(true);
  },
  loadDesign: (s) => s().loadDesign(chain()),
  forgetTrainedWeights: (s) => s().forgetTrainedWeights(),
};

describe('the slices', () => {
  it("write their own fields, and of the others' only what the composer joins from their answers, in every action", () => {
    const own: Record<SliceName, Set<string>> = {
      design: namesOf(createDesignSlice), derived: namesOf(createDerivedSlice), view: namesOf(createViewSlice),
      weights: namesOf(() => createWeightsSlice()),
    };
    const { store, writes, at } = recordedStore();
    for (const [name, step] of Object.entries(STEPS)) {
      at(name);
      step(store.getState);
    }
    for (const w of writes) {
      for (const [k, v] of Object.entries(w.partial)) {
        if (own[w.slice].has(k)) continue;
        expect(k in w.joined, `${w.step}: the ${w.slice} slice wrote ${k}`).toBe(true);
        expect(v, `${w.step}: the ${w.slice} slice wrote ${k}`).toBe(w.joined[k as keyof Editor]);
      }
    }
    // every action wrote (none was a no-op here), every slice wrote, and an edit carried the others' answers
    expect(new Set(writes.map((w) => w.step))).toEqual(new Set(Object.keys(STEPS)));
    expect(new Set(writes.map((w) => w.slice))).toEqual(new Set(['design', 'derived', 'view', 'weights']));
    const edit = writes.find((w) => w.step === 'addNode')!;
    expect(Object.keys(edit.partial)).toEqual(expect.arrayContaining(['design', 'analysis', 'selection']));
  });

  it('answer every event with their own fields only', () => {
    const derived = namesOf(createDerivedSlice);
    const view = namesOf(createViewSlice);
    const design = namesOf(createDesignSlice);
    const weights = namesOf(() => createWeightsSlice());
    for (const names of [derived, view, weights]) for (const k of design) expect(names.has(k)).toBe(false);
    const store = createEditorStore(chain());
    store.getState().select(['c']);
    store.getState().setTrainedWeights({ source: 't.onnx', byNode: new Map([['c', {}]]) });
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
      for (const k of Object.keys(weightsAfter(e, s, s.nodeAnalysis).fields)) expect(weights.has(k), `${e.type}: ${k}`).toBe(true);
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
