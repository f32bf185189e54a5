import { describe, expect, it } from 'vitest';
import { emptyDesign, type Design } from '../../engine/index.ts';
import { createEditorStore } from './editor-store.ts';
import { showPresetLesson } from './lesson.ts';
import { ROW } from '../../engine/layout/placement.ts';
import { readFileSync } from 'node:fs';

/** in 16×16×64 → 5×5 conv 64 → 64, same, linear, with bias → batch norm */
const five = (): Design => ({
  ...emptyDesign('five'),
  nodes: [
    { id: 'in', kind: 'input', params: { shape: [16, 16, 64] }, position: { x: 0, y: 0 } },
    { id: 'c', kind: 'conv2d', params: { filters: 64, kernelSize: 5, padding: 'same' }, position: { x: 0, y: 110 } },
    { id: 'bn', kind: 'batchNorm', params: {}, position: { x: 0, y: 220 } },
  ],
  edges: [{ id: 'e1', source: 'in', target: 'c' }, { id: 'e2', source: 'c', target: 'bn' }],
});

describe('editor store: advice, baseline, batch', () => {
  it('applies an advised rewrite as one undo step, making room below', () => {
    const store = createEditorStore(five());
    const advice = store.getState().refreshAdvice();
    expect(advice.map((a) => a.rule)).toEqual(['factorize-kernel', 'bottleneck-1x1', 'bias-before-batchnorm', 'receptive-field-coverage', 'depthwise-separable']);
    expect(store.getState().adviceMarks).toEqual({ c: 4, bn: 1 });
    const before = store.getState().analysis.totals.params;
    expect(store.getState().applyAdvice(advice[0])).toBe(true);
    const s = store.getState();
    // 2·(9·64·64 + 64) − (25·64·64 + 64)
    expect(s.analysis.totals.params - before).toBe(2 * (9 * 64 * 64 + 64) - (25 * 64 * 64 + 64));
    const added = s.design.nodes.find((n) => n.id === advice[0].added[0])!;
    // the added layer takes c's row; c and what follows move down one placement row (ROW)
    expect(added.position).toEqual({ x: 0, y: 110 });
    expect(s.nodesById.c.position).toEqual({ x: 0, y: 110 + ROW });
    expect(s.nodesById.bn.position).toEqual({ x: 0, y: 220 + ROW });
    // stale advice (computed for the design before) is refused
    expect(store.getState().applyAdvice(advice[2])).toBe(false);
    store.getState().undo();
    expect(store.getState().analysis.totals.params).toBe(before);
    expect(store.getState().design.nodes).toHaveLength(3);
  });

  it('opening another design drops the advice of the one closed (its layer ids may recur there)', () => {
    const store = createEditorStore(five());
    store.getState().refreshAdvice();
    expect(store.getState().advice).toHaveLength(5);
    // the same ids in a design where no lesson applies: a 1×1 conv (no factorization) of 4 channels on 2×2
    store.getState().loadDesign({
      ...emptyDesign('other'),
      nodes: [
        { id: 'in', kind: 'input', params: { shape: [2, 2, 4] } },
        { id: 'c', kind: 'conv2d', params: { filters: 4, kernelSize: 1, useBias: false } },
      ],
      edges: [{ id: 'e1', source: 'in', target: 'c' }],
    });
    const s = store.getState();
    expect(s.advice).toEqual([]);
    expect(s.adviceFor).toBeNull();
    expect(s.adviceMarks).toEqual({});
  });

  it('pins a baseline and compares every later edit against it; unpins', () => {
    const store = createEditorStore(five());
    store.getState().pinBaseline();
    store.getState().setParams('c', { filters: 32, kernelSize: 5, padding: 'same' });
    const c = store.getState().comparison!;
    // conv: 25·64·32 + 32 − (25·64·64 + 64); bn: 4·32 − 4·64
    expect(c.layers.get('c')).toMatchObject({ change: 'changed', params: 25 * 64 * 32 + 32 - (25 * 64 * 64 + 64), bytes: 4 * 16 * 16 * (32 - 64) });
    expect(c.layers.get('bn')).toMatchObject({ change: 'changed', params: 4 * 32 - 4 * 64 });
    expect(c.totals.params).toBe(25 * 64 * 32 + 32 - (25 * 64 * 64 + 64) + 4 * 32 - 4 * 64);
    store.getState().setBatch(2);
    expect(store.getState().comparison!.layers.get('c')!.bytes).toBe(2 * 4 * 16 * 16 * (32 - 64));
    store.getState().unpinBaseline();
    expect(store.getState().comparison).toBeNull();
  });

  it('refuses a batch size that is not a positive whole number', () => {
    const store = createEditorStore(five());
    expect(store.getState().setBatch(0)).toBe(false);
    expect(store.getState().setBatch(2.5)).toBe(false);
    expect(store.getState().setBatch(16)).toBe(true);
    expect(store.getState().batch).toBe(16);
  });

  it.each([
    // 25·64·64 + 64 = 102,464 against 2·(9·64·64 + 64) = 73,856; both outputs see 5×5 (1 + 4 = 1 + 2 + 2)
    ['conv-5x5-vs-3x3', { single: 102_464, stacked: 73_856 }, ['conv5x5', 'conv3x3_b'], [5, 5]],
    // 9·256·256 = 589,824 against 256·64 + 9·64·64 + 64·256 = 69,632; the bottleneck's 1×1s add nothing to the 3×3 field
    ['bottleneck-1x1', { plain: 589_824, bottleneck: 69_632 }, ['conv3x3', 'relu'], [3, 3]],
  ] as const)('%s opens with both ways side by side, nothing pinned: each group\'s params, the same field', (id, params, ends, field) => {
    const store = createEditorStore(JSON.parse(readFileSync(`presets/${id}.convas.json`, 'utf8')));
    showPresetLesson(store, id);
    const s = store.getState();
    expect(s.baseline).toBeNull();
    expect(s.adviceTabSeq).toBe(0); // the Layers table, whose group rows compare the two
    expect(Object.fromEntries(s.analysis.groups.map((g) => [g.id, g.params]))).toEqual(params);
    for (const end of ends) expect(s.nodeAnalysis[end].receptiveField?.size).toEqual(field);
  });
});
