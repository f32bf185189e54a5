/**
 * Rule 8, branch order (docs/advice.md#rule-8-branch-order): peaks worked out by hand, the rewrite checked to change
 * nothing but the order, and, on random fork–join designs, every advised peak re-measured by the plain simulation of
 * test/support/liveness-sim.ts and compared with every order of the branches tried there by brute force.
 */

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { analyze } from './analyze.ts';
import { adviceAt, adviseDetailed } from './advice.ts';
import { branchOrders } from './branch-order.ts';
import { inferencePeak } from './liveness.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import { simulateLiveness } from '../../test/support/liveness-sim.ts';
import type { Design } from '../contract/types.ts';

/**
 * in 8×8×1 → a: 1×1 conv to 64 channels, then a 1×1 back to 1; b: a 1×1 conv to 16; concat(a2, b). The file
 * lists b first, so its 16 channels wait through a's 64.
 */
function narrowListedFirst(): Design {
  const b = new DesignBuilder('narrow listed first');
  b.input([8, 8, 1]);
  b.add('conv2d', { filters: 16, kernelSize: 1 }, 'in', 'b1');
  b.add('conv2d', { filters: 64, kernelSize: 1 }, 'in', 'a1');
  b.add('conv2d', { filters: 1, kernelSize: 1 }, 'a1', 'a2');
  b.add('concat', {}, ['a2', 'b1'], 'cat');
  return b.design();
}

const sameLayers = (a: Design, b: Design) => {
  const key = (d: Design) => d.nodes.map((n) => JSON.stringify(n)).sort();
  expect(key(b)).toEqual(key(a));
  expect(b.edges).toEqual(a.edges);
};

describe('rule 8: branch order', () => {
  it('runs the wide branch first where that frees its tensors before the narrow one is made (peaks by hand)', () => {
    const d = narrowListedFirst();
    const a = analyze(d);
    const px = 8 * 8 * 4; // bytes per channel of an 8×8 float32 map
    // as listed, at a1: in (a1 still reads it… and b1 has run), b1's 16 channels, a1's 64
    expect(inferencePeak(a.nodes)).toMatchObject({ inferencePeakBytes: px * (1 + 16 + 64), peakNodeId: 'a1' });
    const [item] = adviseDetailed(d, a, { rewrites: true }).filter((x) => x.rule === 'branch-order');
    expect(item).toMatchObject({ nodeId: 'cat', paramsDelta: 0, macsDelta: 0, rewritten: [], added: [] });
    // a first: at a2, in (b1 still needs it), a1's 64, a2's 1
    const after = px * (1 + 64 + 1);
    expect(item.saving).toBe(`peak memory of inference ${(px * 81 / 1000).toFixed(2)} kB → ${(after / 1000).toFixed(2)} kB (−19%) at batch 1, same params and MACs`);
    expect(item.message).toContain("in the order 'a2', 'b1'");
    expect(item.rewrite!.nodes.map((n) => n.id)).toEqual(['in', 'a1', 'a2', 'b1', 'cat']);
    sameLayers(d, item.rewrite!);
    const again = analyze(item.rewrite!);
    expect(inferencePeak(again.nodes).inferencePeakBytes).toBe(after);
    expect(simulateLiveness(again.nodes, 1).peak).toBe(after);
    // every node's numbers are the same; applied once, the rule has nothing more to say
    const strip = (x: typeof a) => new Map(x.nodes.map(({ id, outputShape, params, macs, receptiveField }) => [id, { outputShape, params, macs, receptiveField }]));
    expect(strip(again)).toEqual(strip(a));
    expect(again.totals).toEqual(a.totals);
    expect(adviseDetailed(item.rewrite!, again).filter((x) => x.rule === 'branch-order')).toEqual([]);
    // the editor asks for the item again by rule and node (the advice worker sends items without their copies)
    expect(adviceAt(d, a, 'branch-order', 'cat')?.rewrite?.nodes.map((n) => n.id)).toEqual(['in', 'a1', 'a2', 'b1', 'cat']);
  });

  it('says nothing where the order already is the best, or the branches share what they hold', () => {
    const listed = narrowListedFirst();
    const best = { ...listed, nodes: ['in', 'a1', 'a2', 'b1', 'cat'].map((id) => listed.nodes.find((n) => n.id === id)!) };
    expect(adviseDetailed(best, analyze(best)).filter((x) => x.rule === 'branch-order')).toEqual([]);
    // a residual: the skip is the block's input itself, an empty branch: nothing to move
    const b = new DesignBuilder('residual');
    b.input([8, 8, 4]);
    b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, 'in', 'c1');
    b.add('conv2d', { filters: 4, kernelSize: 3, padding: 'same' }, 'c1', 'c2');
    b.add('add', {}, ['c2', 'in'], 'sum');
    expect(branchOrders(analyze(b.design()).nodes)).toEqual([]);
  });

  it("lowers Xception's peak (Keras lists the main path of block 2 before its 1×1 shortcut) by 2.7 MB", () => {
    const d = JSON.parse(readFileSync('presets/xception.convas.json', 'utf8')) as Design;
    const a = analyze(d);
    const items = adviseDetailed(d, a, { rewrites: true }).filter((x) => x.rule === 'branch-order');
    expect(items.map((x) => x.nodeId)).toEqual(['add']);
    const before = inferencePeak(a.nodes).inferencePeakBytes;
    const after = inferencePeak(analyze(items[0].rewrite!).nodes).inferencePeakBytes;
    expect(before).toBe(simulateLiveness(a.nodes, 1).peak);
    expect(after).toBe(simulateLiveness(analyze(items[0].rewrite!).nodes, 1).peak);
    // block 1's output (147×147×64) is read by both branches: listed as Keras does, it waits through the main path
    // for the shortcut; shortcut first, the shortcut's 74×74×128 output waits instead
    expect(before - after).toBe(147 * 147 * 64 * 4 - 74 * 74 * 128 * 4);
    sameLayers(d, items[0].rewrite!);
  });

  it('on random fork–join designs: the advised peak is the simulated one, lower, and no order of the branches does better', () => {
    // k branches from one input, each a chain of 1×1 convs of random widths, concatenated, listed in a random order
    const arb = fc.record({
      branches: fc.array(fc.array(fc.integer({ min: 1, max: 48 }), { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 4 }),
      seed: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
    });
    let advised = 0;
    fc.assert(fc.property(arb, ({ branches, seed }) => {
      const b = new DesignBuilder('fork–join');
      b.input([4, 4, 2]);
      const chains = branches.map((widths, i) => widths.map((w, j) => ({ id: `b${i}_${j}`, w, from: j ? `b${i}_${j - 1}` : 'in' })));
      const listed = chains.map((_, i) => i);
      for (let k = listed.length - 1; k > 0; k--) {
        const j = seed[k] % (k + 1);
        [listed[k], listed[j]] = [listed[j], listed[k]];
      }
      for (const i of listed) for (const c of chains[i]) b.add('conv2d', { filters: c.w, kernelSize: 1 }, c.from, c.id);
      b.add('concat', {}, chains.map((c) => c[c.length - 1].id), 'cat');
      const d = b.design();
      const a = analyze(d);
      const now = simulateLiveness(a.nodes, 1).peak;
      // every order of the branches, each run to its end before the next, measured by the simulation
      const orders = permute(listed).map((perm) => simulateLiveness(
        [a.nodes[0], ...perm.flatMap((i) => chains[i].map((c) => a.nodes.find((n) => n.id === c.id)!)), a.nodes[a.nodes.length - 1]], 1).peak);
      const best = Math.min(...orders);
      const items = adviseDetailed(d, a, { rewrites: true }).filter((x) => x.rule === 'branch-order');
      if (best > now * 0.99) {
        expect(items).toEqual([]);
        return;
      }
      advised++;
      expect(items).toHaveLength(1);
      const again = analyze(items[0].rewrite!);
      expect(simulateLiveness(again.nodes, 1).peak).toBe(best);
      sameLayers(d, items[0].rewrite!);
    }), { numRuns: 200 });
    // the property is not vacuous: about one design in twelve has a better order (the rest are checked to get none)
    expect(advised).toBeGreaterThanOrEqual(4);
  });
});

function permute<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permute([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

