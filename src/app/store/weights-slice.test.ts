/**
 * The weights slice: an imported model's trained weights apply to the layers they were read for; an edit of one
 * layer (its params, or its input's shape) drops that layer's alone with a notice, undo brings them back, and
 * opening another design forgets them.
 */

import { describe, expect, it } from 'vitest';
import { emptyDesign, type Design } from '../../engine/index.ts';
import type { NodeWeights } from '../../engine/initial-weights.ts';
import { createEditorStore } from './editor-store.ts';

const chain = (): Design => ({
  ...emptyDesign('t'),
  nodes: [
    { id: 'in', kind: 'input', params: { shape: [8, 8, 3] }, position: { x: 0, y: 0 } },
    { id: 'c1', kind: 'conv2d', params: { filters: 4, kernelSize: 3, padding: 'same' }, position: { x: 0, y: 100 } },
    { id: 'c2', kind: 'conv2d', params: { filters: 4, kernelSize: 3, padding: 'same' }, position: { x: 0, y: 200 } },
    { id: 'c3', kind: 'conv2d', params: { filters: 2, kernelSize: 1 }, position: { x: 0, y: 300 } },
  ],
  edges: [{ id: 'e1', source: 'in', target: 'c1' }, { id: 'e2', source: 'c1', target: 'c2' }, { id: 'e3', source: 'c2', target: 'c3' }],
});

const conv = (kh: number, cin: number, f: number): NodeWeights => ({
  kernel: { shape: [kh, kh, cin, f], data: new Float32Array(kh * kh * cin * f).fill(0.5) },
  bias: { shape: [f], data: new Float32Array(f) },
});

function imported() {
  const store = createEditorStore(chain());
  store.getState().setTrainedWeights({ source: 'm.onnx', byNode: new Map([['c1', conv(3, 3, 4)], ['c2', conv(3, 4, 4)], ['c3', conv(1, 4, 2)]]) });
  return store;
}

const inUse = (s: ReturnType<typeof imported>) => [...(s.getState().weightsInUse?.keys() ?? [])];

describe('trained weights in the store', () => {
  it('apply to every layer they were read for', () => {
    const store = imported();
    expect(inUse(store)).toEqual(['c1', 'c2', 'c3']);
    expect(store.getState().weightsDropped).toEqual([]);
  });

  it('an edit of one layer drops its weights alone, says so, and undo brings them back', () => {
    const store = imported();
    store.getState().setParams('c1', { filters: 4, kernelSize: 5, padding: 'same' });
    expect(inUse(store)).toEqual(['c2', 'c3']);
    expect(store.getState().weightsDropped).toEqual(['c1']);
    expect(store.getState().notice?.text).toBe(
      'c1 no longer fits its weights from m.onnx (settings or input shape changed): it runs and exports with seeded weights now. Undo brings them back.',
    );
    store.getState().undo();
    expect(inUse(store)).toEqual(['c1', 'c2', 'c3']);
    expect(store.getState().notice?.text).toBe('c1 has its weights from m.onnx again.');
  });

  it("a change of a layer's input shape drops that layer's weights too; writing the same params in full does not", () => {
    const store = imported();
    // every field written out, defaults included: the same settings, the same weights
    store.getState().setParams('c3', { kernelSize: 1, filters: 2, strides: 1, padding: 'valid' });
    expect(inUse(store)).toEqual(['c1', 'c2', 'c3']);
    // c2 gets 8 filters: its own weights and c3's (whose input now has 8 channels) no longer fit
    store.getState().setParams('c2', { filters: 8, kernelSize: 3, padding: 'same' });
    expect(inUse(store)).toEqual(['c1']);
    expect(store.getState().notice?.text).toMatch(/^c2 and c3 no longer fit their weights from m\.onnx/);
  });

  it('a rename or a move keeps them; removing the layer drops them without a word', () => {
    const store = imported();
    store.getState().rename('c2', 'middle');
    store.getState().moveNodes({ c2: { x: 40, y: 200 } });
    expect(inUse(store)).toEqual(['c1', 'c2', 'c3']);
    store.getState().notify('info', 'before');
    store.getState().select(['c3']);
    store.getState().removeSelected();
    expect(inUse(store)).toEqual(['c1', 'c2']);
    expect(store.getState().notice?.text).toBe('before');
  });

  it('opening another design forgets them', () => {
    const store = imported();
    store.getState().loadDesign(chain());
    expect([store.getState().trained, store.getState().weightsInUse]).toEqual([null, null]);
  });
});
