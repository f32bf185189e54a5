/**
 * "Explain this layer": its grids are the analysis's shapes for every windowed node of every preset and of the
 * every-kind design (one truth: both come from spatial.ts), and its formula, padding split and unreached cells
 * are the course notes' arithmetic, worked by hand below.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../presets/index.ts';
import { everyKind } from '../../test/fixtures/every-kind.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import { analyze, analyzeText, getLayerKind, type Analysis, type Design } from './index.ts';
import { explainNodeWindow, explainSlidingWindow, unreachedText, windowTaps } from './window-explain.ts';

function windowedNodes(design: Design, analysis: Analysis) {
  const byId = new Map(analysis.nodes.map((n) => [n.id, n]));
  return design.nodes.filter((n) => getLayerKind(n.kind)?.slidingWindow).map((n) => ({ node: n, a: byId.get(n.id)! }));
}

function checkGrids(design: Design, analysis: Analysis): { count: number; options: Set<string> } {
  const options = new Set<string>();
  let count = 0;
  for (const { node, a } of windowedNodes(design, analysis)) {
    const e = explainNodeWindow(node, a);
    expect(e, `${design.name} ${node.id}`).not.toBeNull();
    expect([e!.axes[0].input, e!.axes[1].input], `${design.name} ${node.id} input`).toEqual(a.inputShapes![0]!.slice(0, 2));
    expect([e!.axes[0].output, e!.axes[1].output], `${design.name} ${node.id} output`).toEqual(a.outputShape!.slice(0, 2));
    // every formula ends on the analysis's size
    for (const ax of e!.axes) expect(ax.steps.some((s) => s.endsWith(`= ${ax.output}`) || s.endsWith(`: ${ax.output}`)), ax.steps.join(' | ')).toBe(true);
    const p = node.params as Record<string, unknown>;
    options.add(`${node.kind}:${typeof p.padding === 'string' ? p.padding : p.padding === undefined ? 'default' : 'explicit'}${p.ceilMode ? ':ceil' : ''}${JSON.stringify(p.dilation ?? 1) !== '1' ? ':dilated' : ''}`);
    count++;
  }
  return { count, options };
}

describe('Explain this layer: grids equal the shape rules', () => {
  it('for every windowed node of every preset', () => {
    const options = new Set<string>();
    let count = 0;
    for (const p of PRESETS) {
      const r = analyzeText(readFileSync(`presets/${p.file}`, 'utf8'));
      if (!r.ok) throw new Error(r.error);
      const c = checkGrids(r.design, r.analysis);
      count += c.count;
      c.options.forEach((o) => options.add(o));
    }
    expect(count).toBeGreaterThan(500);
    // the options the presets hold, so a lost kind or option shows here
    for (const o of ['conv2d:same', 'conv2d:explicit', 'conv2d:valid', 'maxPool2d:same', 'maxPool2d:explicit', 'avgPool2d:default', 'maxPool2d:explicit:ceil', 'separableConv2d:same', 'depthwiseConv2d:explicit', 'zeroPad2d:explicit', 'conv2dTranspose:valid', 'upsample2d:default']) {
      expect([...options].sort().join(' '), o).toContain(o);
    }
  });

  it('for every windowed kind and option of the every-kind design (ceil mode, dilation, uneven same, zero padding)', () => {
    const design = everyKind();
    const c = checkGrids(design, analyze(design));
    expect([...c.options].sort()).toEqual(expect.arrayContaining([
      'avgPool2d:same', 'avgPool2d:default:ceil', 'maxPool2d:default:ceil', 'conv2d:same:dilated', 'depthwiseConv2d:same',
      'separableConv2d:same', 'zeroPad2d:explicit', 'conv2dTranspose:same', 'conv2dTranspose:explicit', 'upsample2d:default',
    ]));
  });
});

describe('Explain this layer: the arithmetic', () => {
  it('8×8 input, 3×3 stride 2 valid: ⌊(8 + 2·0 − 3) / 2⌋ + 1 = 3, input row and column 7 never reached', () => {
    const b = new DesignBuilder('eight');
    b.input([8, 8, 1]);
    b.add('conv2d', { filters: 4, kernelSize: 3, strides: 2 }, 'in', 'c');
    const design = b.design();
    const analysis = analyze(design);
    const e = explainNodeWindow(design.nodes[1], analysis.nodes[1])!;
    expect(e.square).toBe(true);
    expect(e.axes[0].steps).toEqual(['out = ⌊(8 + 2·0 − 3) / 2⌋ + 1', '= ⌊5 / 2⌋ + 1', '= ⌊2.5⌋ + 1 (the floor drops the part window)', '= 2 + 1', '= 3']);
    expect(e.axes[0].unreached).toEqual([7]);
    expect(unreachedText(e.axes[0], 0)).toBe('1 row (7)');
    expect(unreachedText(e.axes[1], 1)).toBe('1 column (7)');
    expect(e.params).toBe('params = 3·3·1·4 + 4 = 40');
    expect(windowTaps(e.axes[0], 2)).toEqual([4, 5, 6]);
  });

  it("TensorFlow's same split: 8 at stride 2 with a 3-wide kernel pads 0 before and 1 after", () => {
    const e = explainSlidingWindow({ direction: 'gather', kernel: [3, 3], stride: [2, 2], dilation: [1, 1], padding: 'same', word: 'kernel' }, [8, 8, 1])!;
    expect(e.axes[0].steps).toEqual(['out = ⌈8 / 2⌉ = 4', 'padding = max((4 − 1)·2 + 3 − 8, 0) = 1', "TensorFlow's 'same' split: 0 top, 1 bottom (an odd pixel goes bottom)"]);
    expect(e.axes[1].steps[2]).toBe("TensorFlow's 'same' split: 0 left, 1 right (an odd pixel goes right)");
    expect([e.axes[0].before, e.axes[0].after]).toEqual([0, 1]);
    expect(e.axes[0].unreached).toEqual([]);
  });

  it('ceil mode rounds up, and drops a last window that would start in the padding (PyTorch)', () => {
    // 5 wide, window 2, stride 2: ⌈3/2⌉ + 1 = 3 windows at 0, 2, 4 (the last hangs over by one)
    const up = explainSlidingWindow({ direction: 'gather', kernel: [2, 2], stride: [2, 2], dilation: [1, 1], padding: 'valid', ceilMode: true, word: 'pool window' }, [5, 5, 1])!;
    expect(up.axes[0].steps).toEqual(['out = ⌈(5 + 2·0 − 2) / 2⌉ + 1', '= ⌈3 / 2⌉ + 1', '= ⌈1.5⌉ + 1 (ceil mode rounds up)', '= 2 + 1', '= 3']);
    expect([up.axes[0].before, up.axes[0].after]).toEqual([0, 1]);
    // 5 wide, window 2, stride 2, padding 1: ⌈5/2⌉ + 1 = 4, but the 4th would start at 3·2 − 1 = 5, in the right padding
    // (PyTorch's MaxPool2d(2, 2, padding=1, ceil_mode=True) on 5 gives 3)
    const drop = explainSlidingWindow({ direction: 'gather', kernel: [2, 2], stride: [2, 2], dilation: [1, 1], padding: [1, 1], ceilMode: true, word: 'pool window' }, [5, 5, 1])!;
    expect(drop.axes[0].output).toBe(3);
    expect(drop.axes[0].steps.at(-1)).toBe('= 4, less the last window, which would start in the padding: 3');
  });

  it('a dilation wider than the stride leaves gaps no window reads, counted', () => {
    // 7 wide, 2 taps 4 apart (extent 5), stride 1, valid: windows at 0..2, taps {0,4},{1,5},{2,6}: 3 is never read
    const e = explainSlidingWindow({ direction: 'gather', kernel: [2, 2], stride: [1, 1], dilation: [4, 4], padding: 'valid', word: 'kernel' }, [7, 7, 1])!;
    expect(e.axes[0].steps[0]).toBe('dilated kernel = 4·(2 − 1) + 1 = 5');
    expect(e.axes[0].output).toBe(3);
    expect(e.axes[0].unreached).toEqual([3]);
  });

  it('scatter (a transposed conv): out = (in − 1)·s + k − crop, and the output cells no window writes', () => {
    // 4 inputs, kernel 3, stride 2, padding 1: (4 − 1)·2 + 3 − 1 − 1 = 7 (PyTorch's ConvTranspose2d rule)
    const t = explainSlidingWindow({ direction: 'scatter', kernel: [3, 3], stride: [2, 2], dilation: [1, 1], padding: [1, 1], word: 'kernel' }, [4, 4, 1])!;
    expect(t.axes[0].output).toBe(7);
    expect(t.axes[0].steps).toEqual(['out = (4 − 1)·2 + 3 − 1 − 1', '= 7']);
    expect(t.axes[0].unreached).toEqual([]);
    // kernel 1 at stride 2 leaves every other output cell unwritten
    const gaps = explainSlidingWindow({ direction: 'scatter', kernel: [1, 1], stride: [2, 2], dilation: [1, 1], padding: 'valid', word: 'kernel' }, [3, 3, 1])!;
    expect(gaps.axes[0].output).toBe(5);
    expect(gaps.axes[0].unreached).toEqual([1, 3]);
  });
});
