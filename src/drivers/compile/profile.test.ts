/**
 * The profile (drivers/compile/profile.ts) on tfjs's wasm backend: every layer with MACs gets a time, the layers'
 * times add up to the layer-by-layer pass, two profiles rank the layers alike, and the memory tfjs holds while the
 * layers run one at a time is the liveness peak of docs/analysis.md (computed by the engine from shapes alone).
 */

import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, inferencePeak } from '../../engine/index.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { compileDesign, tf } from './index.ts';
import { setupNodeBackend } from './node-backend.ts';
import { median, profileCompiled } from './profile.ts';

/**
 * 64×64×16 → a heavy 3×3 conv (128 filters) and a light 1×1 one (4 filters) side by side, concatenated, then a 1×1
 * conv: 'valid' convolutions only, so each node is exactly one tfjs layer (no padding helpers).
 */
function branchy() {
  const b = new DesignBuilder('branchy');
  b.input([64, 64, 16]);
  b.add('conv2d', { filters: 4, kernelSize: 1, activation: 'relu' }, 'in', 'light');
  b.add('conv2d', { filters: 128, kernelSize: 3, activation: 'relu' }, 'in', 'heavy');
  b.add('conv2d', { filters: 4, kernelSize: 3 }, 'light', 'light2');
  b.add('concat', {}, ['heavy', 'light2'], 'cat');
  b.add('conv2d', { filters: 8, kernelSize: 1 }, 'cat', 'mix');
  return b.design();
}

describe('profile', () => {
  beforeAll(async () => {
    await setupNodeBackend('wasm');
  });

  it('median', () => {
    expect([median([3, 1, 2]), median([4, 1, 3, 2]), median([7])]).toEqual([2, 2.5, 7]);
  });

  it('times every layer with MACs, adds up to the pass, ranks alike twice, and holds the liveness peak', async () => {
    const design = branchy();
    const compiled = compileDesign(design);
    const x = tf.randomUniform([1, 64, 64, 16]);
    try {
      const first = await profileCompiled(compiled, [x], { runs: 7, warmup: 2 });
      const second = await profileCompiled(compiled, [x], { runs: 7, warmup: 1 });
      for (const p of [first, second]) {
        expect(p.backend).toBe('wasm');
        expect(p.nodes.map((n) => n.id)).toEqual(design.nodes.map((n) => n.id));
        for (const n of p.nodes) if (n.macs > 0) expect(n.ms, n.id).toBeGreaterThan(0);
        // each pass is its layers' windows and little else; the medians of parts and of wholes then agree on an
        // idle machine (a busy one stalls a random layer per pass, which the per-layer medians drop)
        expect(p.coverage).toBeGreaterThan(0.9);
        expect(p.coverage).toBeLessThanOrEqual(1);
        const sum = p.nodes.reduce((s, n) => s + n.ms, 0);
        expect(sum).toBeLessThanOrEqual(p.forwardMs * 1.2);
      }
      // 'heavy' does over 30× the MACs of any other layer: first in both profiles
      const slowest = (p: typeof first) => [...p.nodes].sort((a, b) => b.ms - a.ms)[0].id;
      expect([slowest(first), slowest(second)]).toEqual(['heavy', 'heavy']);
      // tfjs's bytes beyond the weights after each layer: the liveness rule, tensor for tensor, at the same layer
      // (the concat: heavy, light2 and their concatenation), plus the input, which the caller holds for the whole
      // pass where the rule frees it after its last consumer (heavy)
      const peak = inferencePeak(analyze(design).nodes, 1);
      expect(peak).toMatchObject({ peakNodeId: 'cat', inferencePeakBytes: 4 * 62 * 62 * (128 + 4 + 132) });
      expect(first.measuredPeakBytes).toBe(peak.inferencePeakBytes + 4 * 64 * 64 * 16);
      expect(tf.memory().numTensors).toBe(compiled.model.weights.length + 1);
    } finally {
      x.dispose();
      compiled.model.dispose();
    }
  }, 120_000);
});
