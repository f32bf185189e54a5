/**
 * A palette block with its settings goes in below the selected layer as one undo step. Node counts by hand: SE
 * pool, squeeze, excite, multiply; MBConv with SE 3 + 3 + 4 + 2 + add; ConvNeXt dw, norm, two 1×1, scale, add;
 * ShuffleNet v2 at stride 2: branches of 5 and 8, concat, shuffle (the stride-1 copy: 2 slices, 8, concat, shuffle).
 */

import { describe, expect, it } from 'vitest';
import { emptyDesign, type Design } from '../../engine/index.ts';
import { createEditorStore } from '../store/editor-store.ts';
import { insertBlock } from './insert-block.ts';

const withInput = (): Design => ({
  ...emptyDesign('p'),
  nodes: [{ id: 'in', kind: 'input', params: { shape: [14, 14, 112] }, position: { x: 0, y: 0 } }],
  edges: [],
});

describe('inserting a block with settings', () => {
  for (const [key, settings, count] of [
    ['squeeze-excitation', { reduction: 4 }, 2 * 4],
    ['inverted-residual', { se: true, activation: 'hardSwish' }, 2 * 13],
    ['convnext', {}, 2 * 6],
    ['shufflenet-v2', { stride: 2, outChannels: 116 }, 15 + 12],
  ] as const) {
    it(`${key} ×2 is one undo step, built for the selected layer's channels`, () => {
      const store = createEditorStore(withInput());
      store.getState().select(['in']);
      const ids = insertBlock(store, key, 2, 'below-selection', settings);
      expect(ids).toHaveLength(count);
      expect(store.getState().analysis.errors).toEqual([]);
      expect(store.getState().past).toHaveLength(1);
      store.getState().undo();
      expect(store.getState().design.nodes.map((n) => n.id)).toEqual(['in']);
      expect(store.getState().design.edges).toEqual([]);
    });
  }
});
