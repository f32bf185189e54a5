/**
 * "Explain this layer" for the scattering kinds (`conv2dTranspose`, `upsample2d`) against PyTorch: for each input
 * cell of a small map, the output cells its window covers on screen (`windowTaps` inside the output) must be exactly
 * the output cells whose value depends on that input cell in PyTorch's own op (`ConvTranspose2d` with a kernel of
 * ones, `F.interpolate` nearest and bilinear with align_corners=False), read off the Jacobian; and the grids' sizes
 * must be the analysis's shapes. A bilinear weight below 1e-6 is a rounding remainder of a tap that weighs exactly
 * 0 (PyTorch computes the sample point in float), so it counts as no dependence.
 * Needs /usr/bin/python3 with torch (`itWithPython`: in CI its absence fails the test).
 */

import { spawnSync } from 'node:child_process';
import { describe, expect } from 'vitest';
import { itWithPython, PYTHON } from '../../test/support/python.ts';
import { DesignBuilder } from '../../test/fixtures/build.ts';
import { analyze } from './analyze.ts';
import { explainNodeWindow, windowTaps, type AxisExplanation } from './window-explain.ts';

type Case = { name: string; kind: 'conv2dTranspose' | 'upsample2d'; params: Record<string, unknown>; size: [number, number] };

const T = 'conv2dTranspose' as const;
const U = 'upsample2d' as const;
const CASES: Case[] = [
  ...[1, 2, 3, 4].flatMap((f) => (['nearest', 'bilinear'] as const).map((interpolation): Case => ({ name: `${interpolation} ×${f}`, kind: U, params: { size: f, interpolation }, size: [5, 5] }))),
  { name: 'bilinear ×(2, 3)', kind: U, params: { size: [2, 3], interpolation: 'bilinear' }, size: [4, 6] },
  { name: 'convT 2 /2 valid', kind: T, params: { filters: 1, kernelSize: 2, strides: 2 }, size: [4, 4] },
  { name: 'convT 3 /2 p1 op1', kind: T, params: { filters: 1, kernelSize: 3, strides: 2, padding: 1, outputPadding: 1 }, size: [4, 5] },
  { name: 'convT 4 /2 same', kind: T, params: { filters: 1, kernelSize: 4, strides: 2, padding: 'same' }, size: [5, 5] },
  { name: 'convT 5 /2 same (odd crop after)', kind: T, params: { filters: 1, kernelSize: 5, strides: 2, padding: 'same' }, size: [4, 4] },
  { name: 'convT 1 /3 same (zero-extended)', kind: T, params: { filters: 1, kernelSize: 1, strides: 3, padding: 'same' }, size: [3, 3] },
  { name: 'convT 2 /3 valid op2 (holes, extended)', kind: T, params: { filters: 1, kernelSize: 2, strides: 3, outputPadding: 2 }, size: [3, 4] },
  { name: 'convT (3, 2) /(1, 2) p(1, 0)', kind: T, params: { filters: 1, kernelSize: [3, 2], strides: [1, 2], padding: [1, 0] }, size: [5, 4] },
];

/** The PyTorch module of a case, as Python source (the design's params by PyTorch's rules). */
function torchOp(c: Case): string {
  const p = c.params;
  if (c.kind === U) {
    const f = typeof p.size === 'number' ? [p.size, p.size] : p.size as number[];
    return p.interpolation === 'nearest'
      ? `lambda x: F.interpolate(x, scale_factor=(${f[0]}, ${f[1]}), mode='nearest')`
      : `lambda x: F.interpolate(x, scale_factor=(${f[0]}, ${f[1]}), mode='bilinear', align_corners=False)`;
  }
  return ''; // the script builds transposed convs from the params itself
}

/** For each case and axis: per input cell, the output cells it changes (the Jacobian's non-zero rows of one column). */
function measure(cases: Case[]): number[][][][] {
  const script = `
import json, sys, torch
import torch.nn.functional as F
cases = json.load(sys.stdin)
out = []
def pair(v, d):
    if v is None: return (d, d)
    return (v, v) if isinstance(v, int) else tuple(v)
for c in cases:
    p = c['params']
    h, w = c['size']
    if c['kind'] == 'upsample2d':
        op = eval(c['op'])
    else:
        k, s = pair(p.get('kernelSize'), 1), pair(p.get('strides'), 1)
        pad = p.get('padding', 'valid')
        if pad == 'same':
            # TensorFlow's rule: the full output, crop floor(max(k - s, 0) / 2) first, then cut or zero-extend to in*s
            full = [(n - 1) * s[a] + k[a] for a, n in enumerate((h, w))]
            crop = [max(k[a] - s[a], 0) // 2 for a in (0, 1)]
            conv = torch.nn.ConvTranspose2d(1, 1, k, s, bias=False).double()
            def op(x, conv=conv, crop=crop):
                y = conv(x)
                outs = (x.shape[2] * s[0], x.shape[3] * s[1])
                y = y[:, :, crop[0]:, crop[1]:]
                y = F.pad(y, (0, max(outs[1] - y.shape[3], 0), 0, max(outs[0] - y.shape[2], 0)))
                return y[:, :, :outs[0], :outs[1]]
        else:
            q = (0, 0) if pad == 'valid' else pair(pad, 0)
            conv = torch.nn.ConvTranspose2d(1, 1, k, s, padding=q, output_padding=pair(p.get('outputPadding'), 0), bias=False).double()
            op = conv
        with torch.no_grad(): conv.weight.fill_(1.0)
    x = torch.rand(1, 1, h, w, dtype=torch.float64)
    J = torch.autograd.functional.jacobian(lambda t: op(t)[0, 0], x)[:, :, 0, 0]  # [Ho, Wo, H, W]
    dep = J.abs() > 1e-6
    rows = [sorted(set(dep[:, :, i, :].any(dim=2).nonzero()[:, 0].tolist())) for i in range(h)]
    cols = [sorted(set(dep[:, :, :, j].any(dim=0).nonzero()[:, 0].tolist())) for j in range(w)]
    out.append([rows, cols, [list(J.shape[:2])]])
print(json.dumps(out))
`;
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(cases.map((c) => ({ ...c, op: torchOp(c) }))), encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`torch failed (${run.status ?? run.signal}): ${run.stderr}`);
  return JSON.parse(run.stdout) as number[][][][];
}

/** The output cells input cell `i` writes on screen: its window's taps (output coordinates, the crop negative or past the end), inside the output. */
const written = (a: AxisExplanation, i: number) => windowTaps(a, i).filter((t) => t >= 0 && t < a.output);

describe('Explain this layer, scatter: each input cell writes exactly the output cells PyTorch changes', () => {
  itWithPython(['torch'], 'transposed convolutions (valid, same cropped and zero-extended, explicit crops, output padding) and upsamplings (nearest, bilinear ×1…4)', () => {
    const measured = measure(CASES);
    CASES.forEach((c, k) => {
      const b = new DesignBuilder(c.name);
      b.input([c.size[0], c.size[1], 1]);
      b.add(c.kind, c.params, 'in', 'x');
      const design = b.design();
      const a = analyze(design).nodes[1];
      const e = explainNodeWindow(design.nodes[1], a);
      expect(e, c.name).not.toBeNull();
      const [rows, cols, [shape]] = measured[k];
      // the grids are the analysis's shape, which is PyTorch's
      expect([e!.axes[0].output, e!.axes[1].output], c.name).toEqual(a.outputShape!.slice(0, 2));
      expect(shape, c.name).toEqual(a.outputShape!.slice(0, 2));
      rows.forEach((r, i) => expect(written(e!.axes[0], i), `${c.name}: input row ${i}`).toEqual(r));
      cols.forEach((r, j) => expect(written(e!.axes[1], j), `${c.name}: input column ${j}`).toEqual(r));
      // and the cells no window writes are the ones no input changes
      const hit = new Set(rows.flat());
      expect(e!.axes[0].unreached, c.name).toEqual(Array.from({ length: shape[0] }, (_, o) => o).filter((o) => !hit.has(o)));
    });
  }, 120_000);
});
