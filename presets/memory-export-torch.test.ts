/**
 * forwardBackwardBytes (docs/advice.md#memory) against torchinfo's method on Convas's own PyTorch export: a forward
 * pass hooked on every leaf module (scripts/torch-memory.py --export) counts the output of each module with
 * parameters. A kind PyTorch writes as several such modules (separableConv2d: its depthwise and pointwise convs)
 * counts each module's output; the every-kind fixture and the Xception preset hold every kind and every
 * separable conv Convas writes, so a kind that grows a second module with parameters shows here.
 * Needs /usr/bin/python3 with torch (`itWithPython`).
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { itWithPython, PYTHON } from '../test/support/python.ts';
import { DesignBuilder } from '../test/fixtures/build.ts';
import { everyKind } from '../test/fixtures/every-kind.ts';
import { analyze, isInputKind, memoryTotals, outputBytes, parseDesignText, type Design } from '../src/engine/index.ts';
import { toPyTorch } from '../src/drivers/export/pytorch.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface TorchMemory { inputBytes: number; paramBytes: number; forwardBackwardBytes: number; bufferBytes: number }

/** torchinfo's figures for the design's PyTorch export at each batch, measured by scripts/torch-memory.py. */
function measured(design: Design, batches: number[]): Record<string, TorchMemory> {
  const a = analyze(design);
  const dir = mkdtempSync(join(tmpdir(), 'convas-memory-'));
  const file = join(dir, 'model.py');
  writeFileSync(file, toPyTorch(design, a));
  const shapes = a.nodes.filter((n) => isInputKind(n.kind)).map((n) => n.outputShape!.join(','));
  const run = spawnSync(PYTHON, [join(root, 'scripts', 'torch-memory.py'), '--export', file, ...shapes, '--batch', ...batches.map(String)],
    { encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0) throw new Error(`torch-memory.py failed (${run.status ?? run.signal}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/**
 * Convas's figures equal the hooked forward pass's. One known difference: the export writes `scale` (layer scale)
 * as a bare `nn.Parameter` product, not a module call, so no hook (and no torchinfo) sees its output, while the
 * contract counts every layer that has parameters; those outputs are added to the reference, by name.
 */
function expectSameAsTorch(design: Design, batches: number[]): void {
  const a = analyze(design);
  expect(a.valid, JSON.stringify(a.errors)).toBe(true);
  const torch = measured(design, batches);
  for (const batch of batches) {
    const m = memoryTotals(a, batch);
    const ref = torch[String(batch)];
    const unhooked = a.nodes.filter((n) => n.kind === 'scale').reduce((s, n) => s + 2 * outputBytes(n, batch), 0);
    expect(m.inputBytes, `batch ${batch}`).toBe(ref.inputBytes);
    expect(m.forwardBackwardBytes, `batch ${batch}`).toBe(ref.forwardBackwardBytes + unhooked - sliced(design, a, batch));
    expect(m.paramBytes, `batch ${batch}`).toBe(ref.paramBytes + ref.bufferBytes);
  }
}

/**
 * The second known difference: a transposed conv with `same` padding whose crop is uneven (k − s odd) cannot be a
 * PyTorch `padding` (symmetric), so the export crops the smaller amount in the module and slices the last row and
 * column off after it: the hooked module output is one row and one column larger than the layer's, and torchinfo's
 * method counts that (forward and backward) where the contract counts the layer's output.
 */
function sliced(design: Design, a: ReturnType<typeof analyze>, batch: number): number {
  let extra = 0;
  for (const node of design.nodes) {
    const p = node.params as { kernelSize?: number | number[]; strides?: number | number[]; padding?: unknown };
    if (node.kind !== 'conv2dTranspose' || p.padding !== 'same') continue;
    const pair = (v: number | number[] | undefined, d: number) => (v === undefined ? [d, d] : Array.isArray(v) ? v : [v, v]);
    const [k, s] = [pair(p.kernelSize, 1), pair(p.strides, 1)];
    const grow = [0, 1].map((i) => Math.max(k[i] - s[i], 0) % 2);
    const [h, w, c] = a.nodes.find((n) => n.id === node.id)!.outputShape!;
    extra += 2 * 4 * batch * ((h + grow[0]) * (w + grow[1]) - h * w) * c;
  }
  return extra;
}

/**
 * The case: a 3×3 conv to 128 channels on a 32×32×3 image, then a separable conv whose depthwise half
 * writes a 30×30×128 map (128×30×30 in PyTorch) before its pointwise 1×1 to 8, a global pool and a dense layer.
 */
function separableCase(): Design {
  const b = new DesignBuilder('separable memory');
  b.input([32, 32, 3]);
  b.add('conv2d', { filters: 128, kernelSize: 3 }, 'in', 'conv');
  b.add('separableConv2d', { filters: 8, kernelSize: 3, padding: 'same' }, 'conv', 'sep');
  b.add('globalAvgPool', {}, 'sep', 'gap');
  b.add('dense', { units: 736 }, 'gap', 'fc');
  return b.design();
}

describe('forward/backward pass size against a hooked forward pass of the PyTorch export (scripts/torch-memory.py --export)', () => {
  itWithPython(['torch'], "the issue's separable conv: 1,906,688 bytes at batch 1, the 128×30×30 depthwise output counted", () => {
    const design = separableCase();
    expect(measured(design, [1])['1'].forwardBackwardBytes).toBe(1_906_688);
    expect(memoryTotals(analyze(design), 1).forwardBackwardBytes).toBe(1_906_688);
    expectSameAsTorch(design, [1, 3]);
  }, 120_000);

  itWithPython(['torch'], 'separable convs with a depth multiplier, strides, dilation and no bias, at batch 1 and 2', () => {
    const b = new DesignBuilder('separable variants');
    b.input([19, 23, 5]);
    b.add('separableConv2d', { filters: 7, kernelSize: [3, 5], strides: 2, depthMultiplier: 3, useBias: false }, 'in', 's1');
    b.add('separableConv2d', { filters: 6, kernelSize: 3, dilation: 2, padding: 'same', depthMultiplier: 2 }, 's1', 's2');
    b.add('batchNorm', {}, 's2', 'bn');
    expectSameAsTorch(b.design(), [1, 2]);
  }, 120_000);

  itWithPython(['torch'], 'the every-kind fixture: every kind as PyTorch writes it, at batch 1 and 2', () => {
    expectSameAsTorch(everyKind(), [1, 2]);
  }, 120_000);

  itWithPython(['torch'], 'the Xception preset at batch 1 (its 34 separable convs)', () => {
    const r = parseDesignText(readFileSync(join(root, 'presets', 'xception.convas.json'), 'utf8'));
    if (!r.ok) throw new Error(r.error);
    expectSameAsTorch(r.design, [1]);
  }, 300_000);
});
