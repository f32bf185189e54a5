/**
 * Memory figures (docs/advice.md#memory) against PyTorch: scripts/torch-memory.py runs torchvision's networks on real
 * batches with forward hooks and applies torchinfo's rules to the tensors it sees (torchinfo itself is not
 * installed). Convas's figures for the presets built after those networks must be the same, byte for byte.
 * Needs /usr/bin/python3 with torch and torchvision (`itWithPython`: a failure in CI where they are missing).
 */

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { itWithPython, PYTHON } from '../test/support/python.ts';
import { analyzeText, memoryTotals } from '../src/engine/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface TorchMemory { inputBytes: number; paramBytes: number; forwardBackwardBytes: number; bufferBytes: number }

describe('memory against PyTorch tensors (scripts/torch-memory.py)', () => {
  let measured: Record<string, Record<string, TorchMemory>> | undefined;
  const torch = () => {
    if (!measured) {
      const run = spawnSync(PYTHON, [join(root, 'scripts', 'torch-memory.py'), '1', '3'], { encoding: 'utf8', timeout: 180_000 });
      if (run.status !== 0) throw new Error(`torch-memory.py failed (${run.status ?? run.signal}): ${run.stderr}`);
      measured = JSON.parse(run.stdout);
    }
    return measured!;
  };

  itWithPython(['torch', 'torchvision'], 'ResNet-18 at batch 1: forward/backward pass 39,747,392 bytes, as torchinfo prints', () => {
    expect(torch()['resnet18.convas.json']['1'].forwardBackwardBytes).toBe(39_747_392);
  }, 180_000);

  for (const file of ['resnet18.convas.json', 'resnet50.convas.json', 'vgg16.convas.json', 'densenet121.convas.json']) {
    itWithPython(['torch', 'torchvision'], `${file}: input, params and forward/backward bytes at batch 1 and 3 equal those of the PyTorch tensors`, () => {
      const r = analyzeText(readFileSync(join(root, 'presets', file), 'utf8'));
      if (!r.ok) throw new Error(r.error);
      for (const batch of [1, 3]) {
        const ref = torch()[file][String(batch)];
        const m = memoryTotals(r.analysis, batch);
        expect(m.inputBytes).toBe(ref.inputBytes);
        expect(m.forwardBackwardBytes).toBe(ref.forwardBackwardBytes);
        // the contract counts batch-norm statistics as params (non-trainable); PyTorch keeps them as buffers
        expect(m.paramBytes).toBe(ref.paramBytes + ref.bufferBytes);
        expect(m.estimatedTotalBytes).toBe(ref.inputBytes + ref.paramBytes + ref.bufferBytes + ref.forwardBackwardBytes);
      }
    }, 180_000);
  }
});
