import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { canonicalDesign, designToText, parseDesignText, type Design } from './index.ts';

/** The same design reached by two edit histories: keys in another order everywhere. */
const a: Design = {
  format: 'convas.design', version: 1, name: 'twice',
  nodes: [
    { id: 'in', kind: 'input', params: { shape: [8, 8, 3] }, position: { x: 0, y: 0 } },
    { id: 'c', kind: 'conv2d', name: 'stem conv', params: { filters: 4, kernelSize: 3, padding: 'same', strides: 1 }, group: 'g', position: { x: 0, y: 124 } },
  ],
  edges: [{ id: 'e1', source: 'in', target: 'c' }],
  groups: [{ id: 'g', label: 'stem', kind: 'block', collapsed: true }],
};
const b = JSON.parse(JSON.stringify({
  groups: [{ collapsed: true, kind: 'block', id: 'g', label: 'stem' }],
  edges: [{ target: 'c', source: 'in', id: 'e1' }],
  nodes: [
    { position: { y: 0, x: 0 }, params: { shape: [8, 8, 3] }, kind: 'input', id: 'in' },
    { group: 'g', params: { strides: 1, padding: 'same', kernelSize: 3, filters: 4 }, position: { y: 124, x: 0 }, name: 'stem conv', id: 'c', kind: 'conv2d' },
  ],
  name: 'twice', version: 1, format: 'convas.design',
})) as Design;

describe('design text', () => {
  it('is the same bytes whatever order the keys were in, and reads back to the same design', () => {
    expect(designToText(b)).toBe(designToText(a));
    expect(designToText(canonicalDesign(a))).toBe(designToText(a));
    const back = parseDesignText(designToText(b));
    expect(back.ok && back.design).toEqual(a);
  });

  it('orders keys as the format lists them, params in the kind\'s schema order', () => {
    const text = designToText(b);
    expect(Object.keys(JSON.parse(text))).toEqual(['format', 'version', 'name', 'nodes', 'edges', 'groups']);
    const c = JSON.parse(text).nodes[1];
    expect(Object.keys(c)).toEqual(['id', 'kind', 'name', 'params', 'group', 'position']);
    expect(Object.keys(c.params)).toEqual(['filters', 'kernelSize', 'strides', 'padding']);
    expect(text).toContain('"position": { "x": 0, "y": 124 }');
  });

  it('a preset saved, read and saved again is byte-identical', () => {
    const r = parseDesignText(readFileSync('presets/googlenet.convas.json', 'utf8'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const once = designToText(r.design);
    const again = parseDesignText(once);
    expect(again.ok && designToText(again.design)).toBe(once);
  });
});
