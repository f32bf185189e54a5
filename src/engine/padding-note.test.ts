import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, type Design } from './index.ts';
import { paddingNote, paddingNotes, paddingShare } from './padding-note.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import { itWithPython, PYTHON } from '../../test/support/python.ts';

/** input H×W×1 → one conv with `params`; its node and analysis. */
function oneConv(size: number, params: Record<string, unknown>, kind = 'conv2d') {
  const b = new DesignBuilder('padding');
  b.input([size, size, 1]);
  b.add(kind, { filters: 1, ...params }, 'in', 'c');
  const d = b.design();
  return { node: d.nodes[1], a: analyze(d).nodes.find((n) => n.id === 'c')! };
}

/**
 * The padded shares as PyTorch counts them: a conv of ones over ones padded with zeros sums, at every output, the
 * taps that read the input; over `out·out·k·k` taps in all. Each case is [size, k, dilation, [top, bottom]], the pad
 * split as TensorFlow splits 'same'. One Python for all (each start costs seconds).
 */
function torchShares(cases: [number, number, number, [number, number]][]): number[] {
  const script = [
    'import torch, torch.nn.functional as F',
    `for size, k, d, (a, b) in ${JSON.stringify(cases)}:`,
    '    x = F.pad(torch.ones(1, 1, size, size, dtype=torch.float64), (a, b, a, b))',
    '    y = F.conv2d(x, torch.ones(1, 1, k, k, dtype=torch.float64), dilation=d)',
    '    print(repr(1 - y.sum().item() / (y.shape[2] * y.shape[3] * k * k)))',
  ].join('\n');
  return execFileSync(PYTHON, ['-c', script], { encoding: 'utf8', timeout: 60_000 }).trim().split('\n').map(Number);
}

describe('windows mostly padding', () => {
  itWithPython(['torch'], 'the share is the one PyTorch counts: a 99×99 on 56×56, the ASPP rates on 14×14, a plain 3×3', () => {
    const cases: [number, number, number, [number, number]][] = [[56, 99, 1, [49, 49]], [14, 3, 12, [12, 12]], [14, 3, 36, [36, 36]], [56, 3, 1, [1, 1]], [7, 4, 1, [1, 2]]];
    const torch = torchShares(cases);
    expect(torch).toHaveLength(cases.length);
    cases.forEach(([size, k, dil], i) => {
      const { node, a } = oneConv(size, { kernelSize: k, dilation: dil, padding: 'same' });
      expect(paddingShare(node, a)!.share).toBeCloseTo(torch[i], 12);
    });
  }, 60_000);

  it('warns past half, saying the share, and that a kernel reading only its centre is a 1×1', () => {
    const big = oneConv(56, { kernelSize: 99, padding: 'same' });
    expect(paddingNote(big.node, big.a)).toBe("Most of each window is padding: 69% of the 99×99 kernel's taps fall on the zeros around the 56×56 input, so most of its multiply-accumulates (counted in its MACs) multiply zeros.");
    const atrous = oneConv(14, { kernelSize: 3, dilation: 36, padding: 'same' });
    expect(paddingShare(atrous.node, atrous.a)).toMatchObject({ centreOnly: true });
    expect(paddingNote(atrous.node, atrous.a)).toContain('Only the kernel\'s centre ever reads the input, so the layer computes what a 1×1 convolution would');
    // an ordinary 3×3 'same', a 'valid' kernel, a pool: no word
    for (const [size, p, kind] of [[56, { kernelSize: 3, padding: 'same' }, 'conv2d'], [56, { kernelSize: 56 }, 'conv2d'], [4, { kernelSize: 3, padding: 'same' }, 'depthwiseConv2d']] as const) {
      const { node, a } = oneConv(size, { ...p }, kind);
      expect(paddingNote(node, a)).toBeNull();
    }
    const pool = new DesignBuilder('pool');
    pool.input([2, 2, 1]);
    pool.add('maxPool2d', { poolSize: 9, strides: 1, padding: 'same' }, 'in', 'p');
    const d = pool.design();
    expect(paddingNotes(d, analyze(d).nodes).size).toBe(0);
  });

  it("in the presets, only DeepLabv3's ASPP branches on the 14×14 map: rate 12 mostly padding, rates 24 and 36 a 1×1 in effect", () => {
    const d = JSON.parse(readFileSync('presets/deeplabv3-mobilenet-v3-large.convas.json', 'utf8')) as Design;
    const notes = paddingNotes(d, analyze(d).nodes);
    expect([...notes.keys()]).toEqual(['classifier.0.convs.1.0', 'classifier.0.convs.2.0', 'classifier.0.convs.3.0']);
    expect(notes.get('classifier.0.convs.1.0')).toContain('82% of the 3×3 kernel\'s taps (dilation 12×12)');
    expect(notes.get('classifier.0.convs.3.0')).toContain('what a 1×1 convolution would, with 9× its weights');
    for (const p of ['resnet50', 'vgg16', 'googlenet', 'mobilenet-v3-large', 'convnext-tiny', 'unet']) {
      const other = JSON.parse(readFileSync(`presets/${p}.convas.json`, 'utf8')) as Design;
      expect(paddingNotes(other, analyze(other).nodes).size, p).toBe(0);
    }
  });
});
