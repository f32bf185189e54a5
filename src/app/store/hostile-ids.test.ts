/**
 * Ids that are names of Object.prototype (issue 15): everything the editor keys by node id is a plain key, so a
 * node called `__proto__`, `constructor` or `toString` is found, and a missing one is not found by accident
 * (a move of another node once gave `constructor` a NaN position: NaN paths in the minimap).
 */
import { describe, expect, it } from 'vitest';
import { emptyDesign, type Design } from '../../engine/index.ts';
import { createEditorStore } from './editor-store.ts';

/** `record[key]` with the key as a plain string (TypeScript types `record.constructor` as Object's). */
const at = <T,>(record: Record<string, T>, key: string): T | undefined => record[key];

const design = (ids: string[]): Design => ({
  ...emptyDesign('proto'),
  nodes: [
    { id: 'in', kind: 'input', params: { shape: [4] }, position: { x: 0, y: 0 } },
    ...ids.map((id, i) => ({ id, kind: 'dense', params: { units: i + 2 }, position: { x: 100 * i, y: 100 } })),
  ],
  edges: ids.map((id, i) => ({ id: `e${i}`, source: 'in', target: id })),
});

describe('ids like __proto__ in the editor store', () => {
  it('indexes, analyses and gives depths to __proto__, constructor and toString as ordinary nodes', () => {
    const s = createEditorStore(design(['__proto__', 'constructor', 'toString'])).getState();
    expect(Object.keys(s.nodesById).sort()).toEqual(['__proto__', 'constructor', 'in', 'toString']);
    expect(at(s.nodesById, '__proto__')!.kind).toBe('dense');
    expect(at(s.nodeAnalysis, '__proto__')!.outputShape).toEqual([2]);
    expect(at(s.nodeAnalysis, 'constructor')!.outputShape).toEqual([3]);
    expect(at(s.depth, 'toString')).toBe(1);
    expect(Object.getPrototypeOf(s.nodesById)).toBeNull();
  });

  it('a node that does not exist is not found through the prototype', () => {
    const s = createEditorStore(design(['a'])).getState();
    expect(at(s.nodesById, 'constructor')).toBeUndefined();
    expect(at(s.nodeAnalysis, 'toString')).toBeUndefined();
    expect(at(s.depth, 'hasOwnProperty')).toBeUndefined();
  });

  it('moving one node leaves constructor and __proto__ where they are (no NaN positions)', () => {
    const store = createEditorStore(design(['__proto__', 'constructor', 'toString', 'x']));
    store.getState().moveNodes({ x: { x: 500, y: 500 } });
    store.getState().setPositions({ toString: { x: 7, y: 8 } });
    const pos = Object.fromEntries(store.getState().design.nodes.map((n) => [n.id, n.position]));
    expect(Object.getOwnPropertyDescriptor(pos, '__proto__')?.value).toEqual({ x: 0, y: 100 });
    expect(at(pos, 'constructor')).toEqual({ x: 100, y: 100 });
    expect(at(pos, 'toString')).toEqual({ x: 7, y: 8 });
    expect(pos.x).toEqual({ x: 500, y: 500 });
    for (const n of store.getState().design.nodes) {
      expect(Number.isFinite(n.position!.x) && Number.isFinite(n.position!.y), n.id).toBe(true);
    }
  });
});
