/**
 * Issue 23 item 7: a tfjs export loads in stock TensorFlow.js 4.22, in a Node process that runs none of Convas's
 * code (test/support/stock-tfjs-run.mjs), with `convas-tfjs-layers.js` where the export ships it, and computes the
 * values Convas computes on the same inputs.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Design } from '../../engine/index.ts';
import { DesignBuilder } from '../../../test/fixtures/build.ts';
import { everyKind } from '../../../test/fixtures/every-kind.ts';
import { compileDesign, tf } from './index.ts';
import { CONVAS_LAYERS_SCRIPT, convasLayersNeeded } from './model-json.ts';
import { setupNodeBackend } from './node-backend.ts';
import { saveLayersModel } from './save.ts';

const dirs: string[] = [];
beforeAll(async () => {
  await setupNodeBackend('cpu');
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Run { outputs?: { shape: number[]; values: number[] }[]; error?: string }

/** Exports `design` as `convas export --to tfjs` does; returns the folder, its files, and Convas's own outputs on seeded inputs. */
async function exportAndRun(design: Design) {
  const dir = mkdtempSync(join(tmpdir(), 'convas-stock-'));
  dirs.push(dir);
  const c = compileDesign(design, { seed: 4 });
  try {
    const files = await saveLayersModel(c.model, dir);
    const inputs = c.model.inputs.map((s, i) => tf.randomUniform([2, ...(s.shape.slice(1) as number[])], -4, 4, 'float32', 7 + i));
    writeFileSync(join(dir, 'inputs.json'), JSON.stringify(inputs.map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }))));
    const y = c.model.predict(inputs.length === 1 ? inputs[0] : inputs);
    const want = (Array.isArray(y) ? y : [y]).map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
    return { dir, files, want };
  } finally {
    c.model.dispose();
  }
}

/** Stock tfjs in its own process on the exported folder. */
function stock(dir: string, script: boolean): Run {
  const args = ['test/support/stock-tfjs-run.mjs', dir, ...(script ? ['--script'] : [])];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 })) as Run;
}

function expectSameValues(got: Run, want: { shape: number[]; values: number[] }[]) {
  expect(got.error).toBeUndefined();
  expect(got.outputs!.map((o) => o.shape)).toEqual(want.map((o) => o.shape));
  got.outputs!.forEach((o, i) => {
    const worst = o.values.reduce((m, v, j) => Math.max(m, Math.abs(v - want[i].values[j]) / Math.max(1, Math.abs(want[i].values[j]))), 0);
    expect(worst, `output ${i}`).toBeLessThan(1e-6);
  });
}

/** Dilated depthwise and separable convolutions, nearest upsampling by 3, a kept-dims max pool: stock tfjs runs the depthwise one undilated. */
function dilatedAndKept(): Design {
  const b = new DesignBuilder('dilated');
  b.input([13, 11, 3]);
  b.add('depthwiseConv2d', { kernelSize: 3, dilation: 2, depthMultiplier: 2, padding: 'same' }, 'in', 'dwDil');
  b.add('depthwiseConv2d', { kernelSize: [3, 2], dilation: [2, 3], padding: 'valid', activation: 'relu' }, 'dwDil', 'dwDilValid');
  b.add('separableConv2d', { filters: 4, kernelSize: 3, dilation: 2, padding: 'same' }, 'dwDilValid', 'sepDil');
  b.add('upsample2d', { size: 3 }, 'sepDil', 'up3');
  b.add('globalMaxPool', { keepDims: true }, 'up3', 'keep');
  b.add('multiply', {}, ['up3', 'keep'], 'gate');
  return b.design();
}

/** A design stock tfjs computes alone: no script beside it. */
function stockOnly(): Design {
  const b = new DesignBuilder('stock');
  b.input([9, 9, 2]);
  b.add('conv2d', { filters: 4, kernelSize: 3, padding: 1, dilation: 2, activation: 'relu' }, 'in', 'c');
  b.add('zeroPad2d', { padding: [1, 0] }, 'c', 'zp');
  b.add('upsample2d', { size: 2 }, 'zp', 'up');
  b.add('globalAvgPool', {}, 'up', 'gap');
  b.add('dense', { units: 3 }, 'gap', 'fc');
  b.add('globalMaxPool', { keepDims: true }, 'up', 'keep');
  b.add('multiply', {}, ['up', 'keep'], 'gate');
  return b.design();
}

describe('stock tfjs 4.22 loads every tfjs export', () => {
  it('every-kind fixture: without the script stock tfjs refuses a Convas class by name; with it, the values Convas computes', async () => {
    const { dir, files, want } = await exportAndRun(everyKind());
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['model.json', 'weights.bin', CONVAS_LAYERS_SCRIPT]);
    const needed = convasLayersNeeded(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).modelTopology);
    expect(needed).toEqual(expect.arrayContaining(['lrn (ConvasLRN)', 'mp__pad (ConvasConstantPad2d)', 'hswish (Activation)', 'upBil (UpSampling2D)', 'upCrop (ConvasConv2DTranspose)', 'ls (ConvasScale)']));
    // a kept-dims pool is written as stock layers (the pool, then a Reshape to [1, 1, C])
    expect(needed.filter((n) => n.startsWith('seSqueeze') || n.startsWith('gmpKeep'))).toEqual([]);
    expect(stock(dir, false).error).toMatch(/Unknown layer: Convas/);
    expectSameValues(stock(dir, true), want);
  });

  it('dilated depthwise and separable convolutions, nearest upsampling by 3 and a kept-dims pool compute Convas\'s values with the script', async () => {
    const { dir, files, want } = await exportAndRun(dilatedAndKept());
    expect(files).toContain(join(dir, CONVAS_LAYERS_SCRIPT));
    expectSameValues(stock(dir, true), want);
    // without it, tfjs loads the dilated depthwise convolution undilated: another shape, so not the values
    const alone = stock(dir, false);
    expect(alone.error ?? JSON.stringify(alone.outputs!.map((o) => o.shape))).not.toBe(JSON.stringify(want.map((o) => o.shape)));
  });

  it('a design of stock layers only (dilated conv, zero pad, nearest upsampling, pools, a kept-dims pool, dense) ships no script and loads in tfjs alone', async () => {
    const { dir, files, want } = await exportAndRun(stockOnly());
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['model.json', 'weights.bin']);
    expect(existsSync(join(dir, CONVAS_LAYERS_SCRIPT))).toBe(false);
    expectSameValues(stock(dir, false), want);
  });
});
