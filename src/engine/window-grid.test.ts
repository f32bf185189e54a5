/**
 * The drawn part of Explain this layer's grids: a large axis draws its first and last cells with a gap, and what a
 * student must see is always drawn (the first and last windows, the cells the stride leaves out at the end);
 * everything left out is counted. Checked on every windowed node of every preset and of the every-kind design
 * (whose grids equal the analysis's shapes), on random axes, and on the output-size lesson worked by hand.
 */

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../presets/index.ts';
import { everyKind } from '../../test/fixtures/every-kind.ts';
import { analyze, analyzeText, getLayerKind, type Analysis, type Design } from './index.ts';
import { explainNodeWindow, explainSlidingWindow, windowStart, windowTaps, type AxisExplanation } from './window-explain.ts';
import { axisGrid, cellDrawn, ELIDED_GRID_CELLS, hiddenCells, MAX_GRID_CELLS, runText, type AxisGrid } from './window-grid.ts';

const drawnCount = (g: AxisGrid) => g.runs.reduce((n, r) => n + r.to - r.from, 0);

/** Every promise the drawn grid makes, for one axis; `where` names it in a failure. */
function checkAxis(a: AxisExplanation, gather: boolean, where: string): AxisGrid {
  const g = axisGrid(a, gather);
  const m = gather ? a.output : a.input;
  expect([g.size, g.windowCount], where).toEqual(gather ? [a.input, a.output] : [a.output, a.input]);
  expect([g.from, g.to], where).toEqual([0 - a.before, g.size + Math.max(a.after, 0)]);
  // the runs start at the grid's first cell, end at its last, ascending with a real gap between
  expect(g.runs[0].from, where).toBe(g.from);
  expect(g.runs.at(-1)!.to, where).toBe(g.to);
  expect(g.runs.length === 1 || g.runs[0].to < g.runs[1].from, where).toBe(true);
  if (g.to - g.from <= MAX_GRID_CELLS) expect(g.runs, `${where}: small axes are whole`).toHaveLength(1);
  else expect(g.runs.length === 2 || g.windows.length === m, `${where}: large axes are elided unless one window fills them`).toBe(true);
  // the windows drawn: the first ones and the last ones, the rest counted as hidden
  expect(g.windows[0], where).toBe(0);
  expect(g.windows.at(-1), where).toBe(m - 1);
  const hidden = g.hiddenWindows ? g.hiddenWindows.to - g.hiddenWindows.from : 0;
  expect(g.windows.length + hidden, where).toBe(m);
  for (let i = 1; i < g.windows.length; i++) {
    const step = g.windows[i] - g.windows[i - 1];
    expect(step === 1 || (g.hiddenWindows && g.windows[i - 1] === g.hiddenWindows.from - 1 && g.windows[i] === g.hiddenWindows.to), where).toBeTruthy();
  }
  // each drawn window lies whole in one run: its box and all its taps are on screen
  for (const o of g.windows) {
    const s = windowStart(a, o);
    expect(g.runs.some((r) => s >= r.from && s + a.extent <= r.to), `${where} window ${o}`).toBe(true);
    for (const t of windowTaps(a, o)) expect(cellDrawn(g, t), `${where} window ${o} tap ${t}`).toBe(true);
  }
  // the cells no window reaches: each one drawn or counted in the gap, and those after the last window's start
  // (the stride's leftovers) always drawn
  for (const c of a.unreached) expect(cellDrawn(g, c) !== g.hiddenUnreached.includes(c), `${where} unreached ${c}`).toBe(true);
  for (const c of a.unreached) if (c >= windowStart(a, m - 1)) expect(cellDrawn(g, c), `${where} trailing unreached ${c}`).toBe(true);
  // readable: an elided axis draws at most ELIDED_GRID_CELLS cells, unless a single first and last window need more
  if (g.runs.length === 2 && g.windows.length > 2) expect(drawnCount(g), where).toBeLessThanOrEqual(ELIDED_GRID_CELLS);
  return g;
}

function checkDesign(design: Design, analysis: Analysis): number {
  const byId = new Map(analysis.nodes.map((n) => [n.id, n]));
  let elided = 0;
  for (const node of design.nodes.filter((n) => getLayerKind(n.kind)?.slidingWindow)) {
    const e = explainNodeWindow(node, byId.get(node.id)!)!;
    e.axes.forEach((a, axis) => { if (checkAxis(a, e.direction === 'gather', `${design.name} ${node.id} axis ${axis}`).runs.length === 2) elided++; });
  }
  return elided;
}

describe('Explain this layer: the drawn part of a large grid', () => {
  it('keeps its promises on every windowed node of every preset and of the every-kind design', () => {
    let elided = 0;
    for (const p of PRESETS) {
      const r = analyzeText(readFileSync(`presets/${p.file}`, 'utf8'));
      if (!r.ok) throw new Error(r.error);
      elided += checkDesign(r.design, r.analysis);
    }
    checkDesign(everyKind(), analyze(everyKind()));
    // the presets' 224-pixel networks are elided almost everywhere: the check above is not vacuous
    expect(elided).toBeGreaterThan(200);
  });

  it('keeps its promises on random layers (kernel, stride, dilation, padding, ceil mode, both directions)', () => {
    const pad = fc.oneof(fc.constant<'same'>('same'), fc.constant<'valid'>('valid'), fc.integer({ min: 0, max: 4 }));
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }),
      pad, fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 2 }),
      (size, kernel, stride, dilation, padding, ceilMode, scatter, extra) => {
        const p = typeof padding === 'number' ? [padding, padding] as [number, number] : padding;
        const e = explainSlidingWindow({
          direction: scatter ? 'scatter' : 'gather', kernel: [kernel, kernel], stride: [stride, stride], dilation: [dilation, dilation],
          padding: p, ceilMode: !scatter && ceilMode, outputPadding: scatter && extra < stride ? [extra, extra] : undefined, word: 'kernel',
        }, [size, size, 1]);
        if (e) checkAxis(e.axes[0], !scatter, JSON.stringify({ size, kernel, stride, dilation, padding, ceilMode, scatter, extra }));
      },
    ), { numRuns: 400 });
  });

  it('the output-size lesson (28, kernel 5, stride 2): rows 0–6 and 20–27 drawn, windows 0, 1, 10, 11, row 27 shaded', () => {
    const r = analyzeText(readFileSync('presets/output-size.convas.json', 'utf8'));
    if (!r.ok) throw new Error(r.error);
    const node = r.design.nodes.find((n) => n.id === 'conv1')!;
    const e = explainNodeWindow(node, r.analysis.nodes.find((n) => n.id === 'conv1')!)!;
    const g = axisGrid(e.axes[0], true);
    // windows start at 0, 2, …, 22: the first two end at 6, the last two start at 20; 28 leaves row 27 unread
    expect(g.runs).toEqual([{ from: 0, to: 7 }, { from: 20, to: 28 }]);
    expect(g.windows).toEqual([0, 1, 10, 11]);
    expect(g.hiddenWindows).toEqual({ from: 2, to: 10 });
    expect(runText(hiddenCells(g)!)).toBe('7–19');
    expect(e.axes[0].unreached).toEqual([27]);
    expect(cellDrawn(g, 27)).toBe(true);
    expect(g.hiddenUnreached).toEqual([]);
  });

  it('an 8×8 input is drawn whole: every cell, all 3 windows', () => {
    const e = explainSlidingWindow({ direction: 'gather', kernel: [3, 3], stride: [2, 2], dilation: [1, 1], padding: 'valid', word: 'kernel' }, [8, 8, 1])!;
    const g = axisGrid(e.axes[0], true);
    expect(g.runs).toEqual([{ from: 0, to: 8 }]);
    expect(g.windows).toEqual([0, 1, 2]);
    expect(hiddenCells(g)).toBeNull();
  });

  it("padding is drawn at both ends: ResNet's 7×7 stride-2 stem on 224 (padding 3) draws −3 … and … 226", () => {
    const e = explainSlidingWindow({ direction: 'gather', kernel: [7, 7], stride: [2, 2], dilation: [1, 1], padding: [3, 3], word: 'kernel' }, [224, 224, 1])!;
    const g = axisGrid(e.axes[0], true);
    // 112 windows: the first starts at −3 and ends at 3, the last starts at 111·2 − 3 = 219 and ends at 225 (+1 pad)
    expect(e.axes[0].output).toBe(112);
    expect(g.runs[0].from).toBe(-3);
    expect(g.runs.at(-1)!.to).toBe(227);
    expect(g.windows.slice(0, 1)).toEqual([0]);
    expect(g.windows.at(-1)).toBe(111);
  });

  it('a transposed conv (scatter) draws the first and last inputs writing into a large output, and its gaps counted', () => {
    // 20 inputs, kernel 1, stride 2: 39 output cells, every odd one unwritten
    const e = explainSlidingWindow({ direction: 'scatter', kernel: [1, 1], stride: [2, 2], dilation: [1, 1], padding: 'valid', word: 'kernel' }, [20, 20, 1])!;
    const g = checkAxis(e.axes[0], false, 'scatter gaps');
    expect(g.runs.length).toBe(2);
    expect(g.hiddenUnreached.length + e.axes[0].unreached.filter((c) => cellDrawn(g, c)).length).toBe(19);
  });
});
