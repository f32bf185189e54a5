import { describe, expect, it } from 'vitest';
import { moveNodes, sameNetwork, setNodeParams, type Design } from './index.ts';
import { groupNodes } from './groups.ts';
import { groupedChain } from '../../test/fixtures/grouped-chain.ts';

describe('sameNetwork: what a run or a profile depends on', () => {
  const d: Design = groupedChain();

  it('positions, groups and the design\'s name change only the drawing', () => {
    expect(sameNetwork(d, moveNodes(d, { a: { x: 40, y: 90 }, c: { x: 1, y: 2 } }))).toBe(true);
    expect(sameNetwork(d, groupNodes(d, ['b', 'c']).design)).toBe(true);
    expect(sameNetwork(d, { ...d, name: 'other', description: 'x' })).toBe(true);
    // params written differently but read alike (3 and [3, 3]) are the same layer
    expect(sameNetwork(d, setNodeParams(d, 'a', { kernelSize: [3, 3] }))).toBe(true);
  });

  it('a setting, a kind, a name, a wire, a merge\'s input order or the outputs change the network', () => {
    expect(sameNetwork(d, setNodeParams(d, 'a', { filters: 5 }))).toBe(false);
    expect(sameNetwork(d, { ...d, nodes: d.nodes.map((n) => (n.id === 'c' ? { ...n, kind: 'globalAvgPool' } : n)) })).toBe(false);
    expect(sameNetwork(d, { ...d, nodes: d.nodes.map((n) => (n.id === 'b' ? { ...n, name: 'proj' } : n)) })).toBe(false);
    expect(sameNetwork(d, { ...d, edges: [d.edges[0], { id: 'e2', source: 'in', target: 'b' }, d.edges[2]] })).toBe(false);
    expect(sameNetwork(d, { ...d, edges: [d.edges[0], d.edges[1], { ...d.edges[2], targetPort: 1 }] })).toBe(false);
    expect(sameNetwork(d, { ...d, outputs: ['b', 'c'] })).toBe(false);
    expect(sameNetwork(d, { ...d, nodes: d.nodes.slice(0, 3), edges: d.edges.slice(0, 2) })).toBe(false);
  });
});
