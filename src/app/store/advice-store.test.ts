import { describe, expect, it } from 'vitest';
import { adviceAt, analyze, emptyDesign, type AdviceRule, type Design } from '../../engine/index.ts';
import { PRESETS } from '../../../presets/index.ts';
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

  it("the 5×5 teaching preset opens pinned against its two-3×3 twin", () => {
    const store = createEditorStore(JSON.parse(readFileSync('presets/conv-5x5-vs-3x3.convas.json', 'utf8')));
    showPresetLesson(store, 'conv-5x5-vs-3x3');
    const s = store.getState();
    expect(s.baseline?.label).toBe('its two-3×3 twin');
    // the preset has one 5×5 (102,464) where its twin has two 3×3s (73,856)
    expect(s.comparison!.totals.params).toBe(102_464 - 73_856);
    expect(s.comparison!.removed.map((r) => r.change)).toEqual(['removed']);
    expect(s.adviceTabSeq).toBe(0); // the Layers table shows the lesson: each layer against the twin
  });

  it.each(PRESETS.filter((p) => p.lesson?.show === 'baseline').map((p) => [p.id, p] as const))(
    "%s: its lesson's baseline is an advice the preset really gets",
    (_id, p) => {
      const lesson = p.lesson as { rule: AdviceRule; nodeId: string };
      const d = JSON.parse(readFileSync(`presets/${p.file}`, 'utf8')) as Design;
      const item = adviceAt(d, analyze(d), lesson.rule, lesson.nodeId);
      expect(item?.rewrite).toBeTruthy();
      expect(item!.paramsDelta).toBeLessThan(0);
    },
  );
});
