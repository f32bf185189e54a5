import { describe, expect, it } from 'vitest';
import { analyze, emptyDesign, nodeDepths, pasteFragment, type Design } from './index.ts';
import { placeUnpositioned } from './layout/placement.ts';
import { BLOCKS, getBlock, repeatBlock } from './blocks.ts';
import { quickFixes } from './quick-fixes.ts';

function withInput(shape: number[]): Design {
  return { ...emptyDesign('b'), nodes: [{ id: 'in', kind: 'input', params: { shape }, position: { x: 0, y: 0 } }], edges: [] };
}

describe('palette blocks', () => {
  for (const spec of BLOCKS) {
    it(`${spec.key} ×3 fits the channels it is given`, () => {
      const a = analyze(pasteFragment(withInput([28, 28, 192]), repeatBlock(spec, 192, 3), { at: { x: 0, y: 100 } }, 'in').design);
      // a decoder block's skip is wired by the user: each copy's concat waits for it, and says so
      if (spec.takesSkip) expect(a.errors.map((e) => e.message)).toEqual(Array(3).fill(expect.stringMatching(/at least 2 inputs, got 1/)));
      else expect(a.errors).toEqual([]);
      expect(a.groups).toHaveLength(3);
    });
  }

  it('the inception module is GoogLeNet 3a with its 163,696 params', () => {
    const d = pasteFragment(withInput([28, 28, 192]), repeatBlock(getBlock('inception')!, 192, 1), { at: { x: 0, y: 100 } }, 'in').design;
    expect(analyze(d).totals.params).toBe(163_696);
  });
});

describe('quick fixes', () => {
  it('projects a skip onto the shape of the main path, with the stride that matches', () => {
    const d: Design = {
      ...withInput([56, 56, 64]),
      nodes: [
        ...withInput([56, 56, 64]).nodes,
        { id: 'c', kind: 'conv2d', params: { filters: 128, kernelSize: 3, strides: 2, padding: 1 } },
        { id: 'sum', kind: 'add', params: {} },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'c' },
        { id: 'e2', source: 'c', target: 'sum', targetPort: 0 },
        { id: 'e3', source: 'in', target: 'sum', targetPort: 1 },
      ],
    };
    // as the editor holds it: the unplaced layers given their provisional places
    const placed = placeUnpositioned(d);
    const sum = analyze(placed).nodes.find((n) => n.id === 'sum');
    const fixes = quickFixes(placed, placed.nodes.find((n) => n.id === 'sum')!, sum, Object.fromEntries(nodeDepths(placed)));
    expect(fixes.map((f) => f.message)).toEqual(['Insert a 1×1 projection conv (128 filters stride 2) on the input from in']);
    const fixed = analyze(fixes[0].rewrite);
    expect(fixed.errors).toEqual([]);
    expect(fixed.nodes.find((n) => n.id === 'sum')!.outputShape).toEqual([28, 28, 128]);
  });
});
