/**
 * Peak inference memory by liveness (docs/analysis.md#peak-memory-by-liveness) against a plain simulation written
 * from the rule's words (test/support/liveness-sim.ts), and against peaks worked out by hand.
 */

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyze } from './analyze.ts';
import { designOrder, inferencePeak } from './liveness.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import type { Design, NodeAnalysis } from '../contract/types.ts';
import { simulateLiveness as simulate } from '../../test/support/liveness-sim.ts';

/** in 16×16×4 → a wide branch (3×3 conv, 64 filters, then a 1×1 back to 8) and a narrow one (1×1, 8), concat. */
function branches(wideFirst: boolean): Design {
  const b = new DesignBuilder(wideFirst ? 'wide first' : 'narrow first');
  b.input([16, 16, 4]);
  const wide = () => {
    b.add('conv2d', { filters: 64, kernelSize: 3, padding: 'same' }, 'in', 'wide1');
    b.add('conv2d', { filters: 8, kernelSize: 1 }, 'wide1', 'wide2');
  };
  const narrow = () => b.add('conv2d', { filters: 8, kernelSize: 1 }, 'in', 'narrow');
  if (wideFirst) {
    wide();
    narrow();
  } else {
    narrow();
    wide();
  }
  b.add('concat', {}, ['wide2', 'narrow'], 'cat');
  b.add('globalAvgPool', {}, 'cat', 'gap');
  return b.design();
}

describe('inference peak by liveness', () => {
  it('branch order changes the peak: the narrow branch first keeps its output alive through the wide one', () => {
    const hw = 16 * 16;
    const wideFirst = inferencePeak(analyze(branches(true)).nodes);
    const narrowFirst = inferencePeak(analyze(branches(false)).nodes);
    // wide first, at wide2: in (still needed by narrow), wide1's 64 channels, wide2's 8
    expect(wideFirst).toMatchObject({ inferencePeakBytes: 4 * hw * (4 + 64 + 8), peakNodeId: 'wide2', liveAtPeak: ['in', 'wide1', 'wide2'] });
    // narrow first, at wide2: narrow's 8 channels (waiting for the concat), wide1's 64, wide2's 8
    expect(narrowFirst).toMatchObject({ inferencePeakBytes: 4 * hw * (8 + 64 + 8), peakNodeId: 'wide2', liveAtPeak: ['narrow', 'wide1', 'wide2'] });
    for (const d of [branches(true), branches(false)]) {
      const s = simulate(analyze(d).nodes, 3);
      const got = inferencePeak(analyze(d).nodes, 3);
      expect([got.inferencePeakBytes, got.peakNodeId]).toEqual([s.peak, s.at]);
    }
  });

  it('keeps file order where it may: a node listed before its input waits for it and no longer', () => {
    const nodes = [
      { id: 'in', inputs: [] }, { id: 'b', inputs: ['a'] }, { id: 'c', inputs: ['in'] }, { id: 'a', inputs: ['in'] }, { id: 'd', inputs: ['b', 'c'] },
    ];
    // c is ready before a and comes first in the file; b waits for a, then runs before d
    expect(designOrder(nodes).map((i) => nodes[i].id)).toEqual(['in', 'c', 'a', 'b', 'd']);
  });

  it('counts the network input and its outputs, and an add of a tensor with itself', () => {
    const b = new DesignBuilder();
    b.input([8, 8, 2]);
    b.add('add', {}, ['in', 'in'], 'twice');
    b.add('conv2d', { filters: 1, kernelSize: 1 }, 'twice', 'out1');
    b.add('conv2d', { filters: 3, kernelSize: 1 }, 'twice', 'out2');
    const a = analyze(b.design());
    // at out2: twice (2 channels), out1 (an output: alive to the end), out2 (3)
    expect(inferencePeak(a.nodes)).toMatchObject({ inferencePeakBytes: 4 * 64 * (2 + 1 + 3), peakNodeId: 'out2' });
  });

  it('equals the simulation on random graphs listed in random file orders, at random batches', () => {
    const graph = fc.record({
      // node i > 0 reads one or two earlier nodes; its output has `size` elements
      picks: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean(), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 14 }),
      shuffle: fc.array(fc.nat(), { minLength: 15, maxLength: 15 }),
      batch: fc.integer({ min: 1, max: 5 }),
    });
    fc.assert(fc.property(graph, ({ picks, shuffle, batch }) => {
      const made: NodeAnalysis[] = [{ id: 'n0', kind: 'input', inputs: [], outputShape: [3], params: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0, receptiveField: null }];
      picks.forEach(([x, y, two, size], k) => {
        const i = k + 1;
        const inputs = [`n${x % i}`, ...(two ? [`n${y % i}`] : [])];
        made.push({ ...made[0], id: `n${i}`, kind: 'add', inputs, outputShape: [size] });
      });
      // a file order that is not topological: swap entries as the shuffle says
      const file = made.slice();
      for (let k = file.length - 1; k > 0; k--) {
        const j = shuffle[k] % (k + 1);
        [file[k], file[j]] = [file[j], file[k]];
      }
      const s = simulate(file, batch);
      const got = inferencePeak(file, batch);
      expect(designOrder(file).map((i) => file[i].id)).toEqual(s.order);
      expect([got.inferencePeakBytes, got.peakNodeId]).toEqual([s.peak, s.at]);
    }), { numRuns: 300 });
  });

  it('is zero with no node to run', () => {
    expect(inferencePeak([])).toEqual({ inferencePeakBytes: 0, peakNodeId: null, liveAtPeak: [] });
  });
});
