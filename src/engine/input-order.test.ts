import { describe, expect, it } from 'vitest';
import { analyze, inputsInPortOrder, type Design } from './index.ts';
import { moveInput } from './input-order.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';

/** input 8×8×3 → a (4 filters), b (8 filters), c (2 filters) → concat [a, b, c] */
function threeBranches(): Design {
  const b = new DesignBuilder('three branches');
  b.input([8, 8, 3]);
  b.add('conv2d', { filters: 4, kernelSize: 1 }, 'in', 'a');
  b.add('conv2d', { filters: 8, kernelSize: 3, padding: 'same' }, 'in', 'b');
  b.add('conv2d', { filters: 2, kernelSize: 1 }, 'in', 'c');
  b.add('concat', {}, ['a', 'b', 'c'], 'cat');
  return b.design();
}

const order = (d: Design) => inputsInPortOrder(d).get('cat')!.map((e) => e.source);

describe('moveInput', () => {
  it('moves one input and leaves the others in their order, every edge naming its port', () => {
    const d = moveInput(threeBranches(), 'cat', 2, 0);
    expect(order(d)).toEqual(['c', 'a', 'b']);
    expect(d.edges.filter((e) => e.target === 'cat').map((e) => [e.source, e.targetPort])).toEqual([['a', 1], ['b', 2], ['c', 0]]);
    // the concat's inputs, as the analysis reads them, follow: 2 + 4 + 8 channels in that order
    const cat = analyze(d).nodes.find((n) => n.id === 'cat')!;
    expect(cat.inputShapes).toEqual([[8, 8, 2], [8, 8, 4], [8, 8, 8]]);
    expect(cat.outputShape).toEqual([8, 8, 14]);
    expect(analyze(d).valid).toBe(true);
  });

  it('moves down as well as up, clamps past the ends, and keeps the object when nothing moves', () => {
    const d0 = threeBranches();
    expect(order(moveInput(d0, 'cat', 0, 1))).toEqual(['b', 'a', 'c']);
    expect(order(moveInput(d0, 'cat', 0, 99))).toEqual(['b', 'c', 'a']);
    expect(moveInput(d0, 'cat', 1, 1)).toBe(d0);
    // a second move reads the ports the first one wrote
    expect(order(moveInput(moveInput(d0, 'cat', 2, 0), 'cat', 2, 1))).toEqual(['c', 'b', 'a']);
    // other nodes' edges are the same objects
    const moved = moveInput(d0, 'cat', 2, 0);
    expect(moved.edges.filter((e) => e.target !== 'cat')).toEqual(d0.edges.filter((e) => e.target !== 'cat'));
  });

  it('refuses a node or an input that is not there, saying which', () => {
    expect(() => moveInput(threeBranches(), 'nope', 0, 1)).toThrow("no node 'nope'");
    expect(() => moveInput(threeBranches(), 'cat', 3, 0)).toThrow('has 3 inputs, so there is no input 4');
  });
});
