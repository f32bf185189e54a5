import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDesignText } from '../../engine/index.ts';
import { compileDesign, tf } from './index.ts';
import { setupNodeBackend } from './node-backend.ts';

beforeAll(async () => {
  await setupNodeBackend('wasm');
});

const files = readdirSync('presets').filter((f) => f.endsWith('.convas.json')).sort();
/** Small teaching presets also get a forward pass. */
const FORWARD = new Set(['bottleneck-1x1', 'conv-5x5-vs-3x3', 'dense-block', 'inception-module', 'resnet18', 'googlenet']);

describe('every preset compiles with the cross-check', () => {
  it('finds the presets', () => expect(files.length).toBeGreaterThan(5));

  it.each(files)('%s', async (f) => {
    const r = parseDesignText(readFileSync(`presets/${f}`, 'utf8'));
    if (!r.ok) throw new Error(r.error);
    const before = tf.memory().numTensors;
    // compileDesign itself checks countParams() and every node's shape against the analysis.
    const c = compileDesign(r.design, { seed: 1 });
    expect(c.model.countParams()).toBe(c.analysis.totals.params);
    if (FORWARD.has(f.replace('.convas.json', ''))) {
      const x = c.model.inputs.map((t) => tf.randomUniform([1, ...(t.shape.slice(1) as number[])], 0, 1, 'float32', 1));
      const raw = c.model.predict(x.length === 1 ? x[0] : x);
      const ys = Array.isArray(raw) ? raw : [raw];
      for (const y of ys) expect(Array.from(await y.data()).every(Number.isFinite)).toBe(true);
      tf.dispose([...x, ...ys]);
    }
    c.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
