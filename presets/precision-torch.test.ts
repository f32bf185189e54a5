/**
 * The weights at float16 and int8 (docs/analysis.md#weights-at-lower-precision) against torchvision's own modules:
 * the rule applied to every PyTorch parameter and statistic buffer (Conv2d, ConvTranspose2d and Linear weights one
 * byte per element plus a 4-byte scale per output channel; every other parameter and the batch-norm running
 * statistics 4 bytes per element). MobileNet v3 holds depthwise convolutions, ConvNeXt a layer scale and layer norms.
 */

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { itWithPython, PYTHON } from '../test/support/python.ts';
import { analyzeText, paramPrecisionBytes } from '../src/engine/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const SCRIPT = `
import json, torch, torchvision.models as m
nets = {'resnet18': m.resnet18, 'resnet50': m.resnet50, 'vgg16': m.vgg16, 'densenet121': m.densenet121,
        'mobilenet-v3-large': m.mobilenet_v3_large, 'convnext-tiny': m.convnext_tiny}
out = {}
for name, make in nets.items():
    net = make()
    int8 = 0; elements = 0
    kernels = set()
    for mod in net.modules():
        if isinstance(mod, (torch.nn.Conv2d, torch.nn.Linear)):
            kernels.add(id(mod.weight)); int8 += mod.weight.numel() + 4 * mod.weight.shape[0]
        elif isinstance(mod, torch.nn.ConvTranspose2d):
            kernels.add(id(mod.weight)); int8 += mod.weight.numel() + 4 * mod.weight.shape[1] * mod.groups
    for p in net.parameters():
        elements += p.numel()
        if id(p) not in kernels: int8 += 4 * p.numel()
    for key, b in net.named_buffers():
        if key.endswith('num_batches_tracked'): continue
        elements += b.numel(); int8 += 4 * b.numel()
    out[name] = {'float16': 2 * elements, 'int8': int8}
print(json.dumps(out))
`;

describe('weights at float16 and int8 against torchvision modules', () => {
  itWithPython(['torch', 'torchvision'], 'the presets of torchvision networks: both sizes equal the rule applied to PyTorch\'s tensors', () => {
    const run = spawnSync(PYTHON, ['-c', SCRIPT], { encoding: 'utf8', timeout: 240_000 });
    if (run.status !== 0) throw new Error(`torchvision failed (${run.status ?? run.signal}): ${run.stderr}`);
    const torch: Record<string, { float16: number; int8: number }> = JSON.parse(run.stdout);
    for (const [net, ref] of Object.entries(torch)) {
      const r = analyzeText(readFileSync(join(root, 'presets', `${net}.convas.json`), 'utf8'));
      if (!r.ok) throw new Error(r.error);
      const got = paramPrecisionBytes(r.design, r.analysis);
      expect({ net, ...got }).toEqual({ net, paramBytesFloat16: ref.float16, paramBytesInt8: ref.int8 });
    }
  }, 240_000);
});
