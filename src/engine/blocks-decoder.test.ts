/**
 * The decoder blocks (blocks-decoder.ts): counts and shapes worked by hand, U-Net's published 31,030,658 rebuilt from
 * four nested levels, the skip wired from a second selected layer, and PyTorch modules of the same structure
 * written apart from Convas (params and output shape).
 */

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { itWithPython, PYTHON } from '../../test/support/python.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import { analyze } from './analyze.ts';
import { blockFeeds, getBlock, repeatBlock, type BlockSettings } from './blocks.ts';
import { validCrop } from './blocks-decoder.ts';
import { pasteFragment } from './edits.ts';
import type { Design, Shape } from './index.ts';

/** `in` of `inShape`, an optional `skip` input of `skipShape`, and the block (×1) fed by them. */
function withBlock(key: string, inShape: Shape, settings: Partial<BlockSettings>, skipShape?: Shape): Design {
  const b = new DesignBuilder(key);
  b.input(inShape, 'in');
  if (skipShape) b.input(skipShape, 'skip');
  const spec = getBlock(key)!;
  const f = repeatBlock(spec, inShape[2], 1, settings, { input: inShape, skip: skipShape ?? null });
  return pasteFragment(b.design(), f, { at: { x: 0, y: 300 } }, 'in', skipShape ? 'skip' : undefined).design;
}

function totals(d: Design) {
  const a = analyze(d);
  expect(a.errors, JSON.stringify(a.errors)).toEqual([]);
  const exits = a.nodes.filter((n) => !d.edges.some((e) => e.source === n.id));
  return { params: a.totals.trainableParams, out: exits.map((n) => n.outputShape) };
}

describe('up-block', () => {
  it('2×2 up-conv, same: 28×28×128 up to 56×56×64, concat with a 56×56×64 skip, two 3×3 convs: 143,552 params', () => {
    // upconv 2·2·128·64 + 64 = 32,832; conv1 3·3·(64 + 64)·64 + 64 = 73,792; conv2 3·3·64·64 + 64 = 36,928
    expect(totals(withBlock('up-block', [28, 28, 128], {}, [56, 56, 64]))).toEqual({ params: 32_832 + 73_792 + 36_928, out: [[56, 56, 64]] });
  });

  it("valid, as U-Net's dec4: 28×28×1024 up to 56×56×512, the 64×64×512 skip cropped by 4, out 52×52×512 (9,176,576 params)", () => {
    const d = withBlock('up-block', [28, 28, 1024], { padding: 'valid', filters: 512 }, [64, 64, 512]);
    expect(d.nodes.find((n) => n.kind === 'cropping2d')?.params).toEqual({ cropping: 4 });
    // 2·2·1024·512 + 512 = 2,097,664; 3·3·1024·512 + 512 = 4,719,104; 3·3·512·512 + 512 = 2,359,808
    expect(totals(d)).toEqual({ params: 2_097_664 + 4_719_104 + 2_359_808, out: [[52, 52, 512]] });
  });

  it('nearest ×2 keeps the channels: concat 64 + 128 = 192, convs to half the input (64): 147,584 params', () => {
    // conv1 3·3·192·64 + 64 = 110,656; conv2 3·3·64·64 + 64 = 36,928; the upsampling has none
    const d = withBlock('up-block', [28, 28, 128], { up: 'nearest ×2' }, [56, 56, 64]);
    expect(d.nodes.find((n) => n.kind === 'upsample2d')?.params).toEqual({ size: 2, interpolation: 'nearest' });
    expect(totals(d)).toEqual({ params: 110_656 + 36_928, out: [[56, 56, 64]] });
  });

  it('without a skip the concat waits for one: its port 0 is free, the error says so and offers the wire', () => {
    const d = withBlock('up-block', [28, 28, 128], {});
    const cat = d.nodes.find((n) => n.kind === 'concat')!;
    expect(d.edges.filter((e) => e.target === cat.id)).toEqual([expect.objectContaining({ targetPort: 1 })]);
    const a = analyze(d);
    expect(a.errors.map((e) => e.message).join(' ')).toMatch(/at least 2 inputs, got 1/);
  });

  it('blockFeeds: of two selected layers the smaller map feeds the block and the larger is the skip, in either order', () => {
    const shapes: Record<string, Shape> = { enc: [56, 56, 64], deep: [28, 28, 128], same: [56, 56, 8] };
    const spec = getBlock('up-block')!;
    expect(blockFeeds(spec, ['enc', 'deep'], (id) => shapes[id])).toEqual({ input: 'deep', skip: 'enc' });
    expect(blockFeeds(spec, ['deep', 'enc'], (id) => shapes[id])).toEqual({ input: 'deep', skip: 'enc' });
    expect(blockFeeds(spec, ['enc', 'same'], (id) => shapes[id])).toEqual({ input: 'same', skip: 'enc' });
    expect(blockFeeds(spec, ['deep'], (id) => shapes[id])).toEqual({ input: 'deep' });
    // a block without a skip takes the last selected alone
    expect(blockFeeds(getBlock('residual-basic')!, ['enc', 'deep'], (id) => shapes[id])).toEqual({ input: 'deep' });
  });
});

describe('U-Net level', () => {
  it('validCrop gives U-Net\'s crops, inner to outer: 4, 16, 40, 88', () => {
    expect([1, 2, 3, 4].map(validCrop)).toEqual([4, 16, 40, 88]);
  });

  it("four valid levels of 64 on 572×572×1 are U-Net less its head: 31,030,658 − (64·2 + 2) = 31,030,528, out 388×388×64", () => {
    expect(totals(withBlock('unet-level', [572, 572, 1], { levels: 4, padding: 'valid' }))).toEqual({ params: 31_030_658 - 130, out: [[388, 388, 64]] });
  });

  it('one same level of 32 on 64×64×16: 3·3 convs 16→32→32, 32→64→64 below, up-conv 64→32, concat 64, 64→32→32: 105,248 params', () => {
    const convs = (3 * 3 * 16 * 32 + 32) + (3 * 3 * 32 * 32 + 32) + (3 * 3 * 32 * 64 + 64) + (3 * 3 * 64 * 64 + 64)
      + (2 * 2 * 64 * 32 + 32) + (3 * 3 * 64 * 32 + 32) + (3 * 3 * 32 * 32 + 32);
    expect(convs).toBe(105_248);
    const d = withBlock('unet-level', [64, 64, 16], { filters: 32 });
    expect(d.nodes.some((n) => n.kind === 'cropping2d')).toBe(false);
    expect(totals(d)).toEqual({ params: 105_248, out: [[64, 64, 32]] });
  });
});

/** PyTorch modules of the blocks' structure, written here from U-Net's description (not from Convas's export). */
const TORCH = `
import json, sys, torch
from torch import nn
def two(cin, f, pad):
    return nn.Sequential(nn.Conv2d(cin, f, 3, padding=pad), nn.ReLU(), nn.Conv2d(f, f, 3, padding=pad), nn.ReLU())
def crop_to(x, like):
    dh, dw = (x.shape[2] - like.shape[2]) // 2, (x.shape[3] - like.shape[3]) // 2
    return x[:, :, dh:x.shape[2] - dh, dw:x.shape[3] - dw]
class Up(nn.Module):
    def __init__(self, cin, cskip, f, mode, pad):
        super().__init__()
        self.up = nn.ConvTranspose2d(cin, f, 2, 2) if mode == 'conv' else nn.Upsample(scale_factor=2, mode=mode)
        self.convs = two(cskip + (f if mode == 'conv' else cin), f, pad)
    def forward(self, x, skip):
        u = self.up(x)
        return self.convs(torch.cat([crop_to(skip, u), u], 1))
class Level(nn.Module):
    def __init__(self, cin, f, levels, pad):
        super().__init__()
        self.down = two(cin, f, pad)
        self.below = Level(f, 2 * f, levels - 1, pad) if levels > 1 else two(f, 2 * f, pad)
        self.up = nn.ConvTranspose2d(2 * f, f, 2, 2)
        self.convs = two(2 * f, f, pad)
    def forward(self, x):
        s = self.down(x)
        u = self.up(self.below(nn.functional.max_pool2d(s, 2)))
        return self.convs(torch.cat([crop_to(s, u), u], 1))
out = []
for c in json.load(sys.stdin):
    pad = 1 if c['padding'] == 'same' else 0
    if c['block'] == 'up':
        m = Up(c['cin'], c['cskip'], c['filters'], c['mode'], pad)
        y = m(torch.zeros(1, c['cin'], c['h'], c['w']), torch.zeros(1, c['cskip'], c['sh'], c['sw']))
    else:
        m = Level(c['cin'], c['filters'], c['levels'], pad)
        y = m(torch.zeros(1, c['cin'], c['h'], c['w']))
    out.append([sum(p.numel() for p in m.parameters()), [y.shape[2], y.shape[3], y.shape[1]]])
print(json.dumps(out))
`;

describe('decoder blocks against PyTorch modules of the same structure', () => {
  itWithPython(['torch'], 'params and output shape of up-blocks (each upsampling, same and valid) and U-Net levels (1 to 3 deep, same and valid)', () => {
    type C = { block: 'up' | 'level'; cin: number; h: number; w: number; filters: number; padding: 'same' | 'valid'; mode?: string; cskip?: number; sh?: number; sw?: number; levels?: number };
    const cases: C[] = [
      { block: 'up', cin: 128, h: 14, w: 10, filters: 48, padding: 'same', mode: 'conv', cskip: 32, sh: 28, sw: 20 },
      { block: 'up', cin: 64, h: 12, w: 12, filters: 32, padding: 'valid', mode: 'conv', cskip: 16, sh: 30, sw: 30 },
      { block: 'up', cin: 40, h: 9, w: 7, filters: 20, padding: 'same', mode: 'nearest', cskip: 8, sh: 18, sw: 14 },
      { block: 'up', cin: 40, h: 9, w: 7, filters: 24, padding: 'valid', mode: 'bilinear', cskip: 8, sh: 22, sw: 18 },
      { block: 'level', cin: 3, h: 64, w: 48, filters: 8, padding: 'same', levels: 1 },
      { block: 'level', cin: 5, h: 96, w: 96, filters: 4, padding: 'same', levels: 3 },
      { block: 'level', cin: 1, h: 140, w: 124, filters: 4, padding: 'valid', levels: 2 },
      { block: 'level', cin: 2, h: 188, w: 188, filters: 2, padding: 'valid', levels: 3 },
    ];
    const run = spawnSync(PYTHON, ['-c', TORCH], { input: JSON.stringify(cases), encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) throw new Error(run.stderr);
    const torch = JSON.parse(run.stdout) as [number, Shape][];
    cases.forEach((c, k) => {
      const d = c.block === 'up'
        ? withBlock('up-block', [c.h, c.w, c.cin], { filters: c.filters, padding: c.padding, up: c.mode === 'conv' ? '2×2 up-conv' : `${c.mode} ×2` }, [c.sh!, c.sw!, c.cskip!])
        : withBlock('unet-level', [c.h, c.w, c.cin], { filters: c.filters, padding: c.padding, levels: c.levels });
      const t = totals(d);
      expect({ params: t.params, out: t.out[0] }, JSON.stringify(c)).toEqual({ params: torch[k][0], out: torch[k][1] });
    });
  }, 120_000);
});

describe('decoder blocks ×N', () => {
  it('up-blocks ×2: the first takes the skip, the second leaves its concat to be wired', () => {
    const f = repeatBlock(getBlock('up-block')!, 128, 2, {}, { input: [28, 28, 128], skip: [56, 56, 64] });
    expect(f.skip).toEqual({ node: 'up_1.concat', port: 0 });
    expect(f.nodes.filter((n) => n.kind === 'concat').map((n) => n.id)).toEqual(['up_1.concat', 'up_2.concat']);
  });
});
