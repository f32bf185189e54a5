/**
 * The one image rule (image-fit.ts): a bilinear resize with half-pixel centres, PyTorch's
 * `F.interpolate(mode='bilinear', align_corners=False)` without antialiasing (the reference the issue names; PIL
 * and torch's `antialias=True` average over the whole footprint when shrinking, which is another rule). Checked on
 * the ramps and against torch itself on random images, crops included; `convas run --image` (imageToInput)
 * computes exactly these values from a PNG file.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { itWithPython, PYTHON } from '../../../test/support/python.ts';
import { resizeRgba, rgbaToChannels, sourceRect } from './image-fit.ts';
import { decodeImage, imageToInput } from './node-image.ts';

/** A grey RGBA image of `w`×`h` whose every channel holds `value(x, y)` (alpha 255). */
function greyImage(w: number, h: number, value: (x: number, y: number) => number): Uint8Array {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const v = value(x, y);
    data.set([v, v, v, 255], (y * w + x) * 4);
  }
  return data;
}

/** The red channel of `resizeRgba`, ×255, row by row. */
function redRows(rgba: Float32Array, w: number, h: number): number[][] {
  return Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => rgba[(y * w + x) * 4] * 255));
}

describe('one image rule: bilinear with half-pixel centres', () => {
  it("the issue's 3×3 ramp 10 20 30 → 6×6 gives 10 12.5 17.5 22.5 27.5 30 in every row", () => {
    const rows = redRows(resizeRgba(greyImage(3, 3, (x) => 10 * (x + 1)), 3, 3, 6, 6), 6, 6);
    for (const row of rows) row.forEach((v, i) => expect(v).toBeCloseTo([10, 12.5, 17.5, 22.5, 27.5, 30][i], 4));
  });

  it('an 8×8 ramp → 4×4 averages each pair of pixels (not the even pixels alone)', () => {
    const rows = redRows(resizeRgba(greyImage(8, 8, (x, y) => 16 * x + 2 * y), 8, 8, 4, 4), 4, 4);
    // output (i, j) sits halfway between source pixels 2i, 2i+1 and 2j, 2j+1
    rows.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(16 * (2 * j + 0.5) + 2 * (2 * i + 0.5), 4)));
  });

  itWithPython(['torch', 'numpy'], "equals torch's F.interpolate(bilinear, align_corners=False) on random images, enlarged, shrunk and centre-cropped", () => {
    const dir = mkdtempSync(join(tmpdir(), 'convas-resize-'));
    const cases: { w: number; h: number; oh: number; ow: number; fit: 'crop' | 'stretch' }[] = [
      { w: 37, h: 23, oh: 16, ow: 20, fit: 'stretch' }, { w: 13, h: 9, oh: 31, ow: 29, fit: 'stretch' },
      { w: 64, h: 40, oh: 24, ow: 24, fit: 'crop' }, { w: 8, h: 8, oh: 4, ow: 4, fit: 'stretch' }, { w: 50, h: 71, oh: 7, ow: 11, fit: 'crop' },
    ];
    const ours: Float32Array[] = [];
    cases.forEach((c, k) => {
      const data = new Uint8Array(c.w * c.h * 4);
      for (let i = 0; i < data.length; i++) data[i] = (i * 7919 + k * 31) % 256;
      writeFileSync(join(dir, `img${k}.u8`), data);
      ours.push(resizeRgba(data, c.w, c.h, c.oh, c.ow, sourceRect(c.w, c.h, c.oh, c.ow, c.fit)));
    });
    const specs = cases.map((c) => ({ ...c, rect: sourceRect(c.w, c.h, c.oh, c.ow, c.fit) }));
    // torch's reference: the same crop, then F.interpolate on the RGBA planes as floats
    const script = `
import json, sys, numpy as np, torch
import torch.nn.functional as F
d, specs = sys.argv[1], json.loads(sys.argv[2])
out = []
for k, s in enumerate(specs):
    img = np.fromfile(f"{d}/img{k}.u8", dtype=np.uint8).reshape(s["h"], s["w"], 4).astype(np.float32)
    r = s["rect"]
    x = torch.from_numpy(img[r["y"]:r["y"] + r["height"], r["x"]:r["x"] + r["width"]]).permute(2, 0, 1)[None]
    y = F.interpolate(x, size=(s["oh"], s["ow"]), mode="bilinear", align_corners=False)[0].permute(1, 2, 0) / 255
    out.append(y.reshape(-1).tolist())
print(json.dumps(out))
`;
    const r = spawnSync(PYTHON, ['-c', script, dir, JSON.stringify(specs)], { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 26 });
    expect(r.status, r.stderr).toBe(0);
    const ref = JSON.parse(r.stdout) as number[][];
    cases.forEach((_, k) => {
      expect(ours[k].length).toBe(ref[k].length);
      let worst = 0;
      for (let i = 0; i < ref[k].length; i++) worst = Math.max(worst, Math.abs(ours[k][i] - ref[k][i]));
      expect(worst, `case ${k}`).toBeLessThan(1e-6);
    });
  }, 60_000);

  it('convas run --image (imageToInput) feeds exactly the shared rule: a PNG to RGB, grey and RGBA inputs', () => {
    const w = 29, h = 17;
    const png = new PNG({ width: w, height: h });
    for (let i = 0; i < png.data.length; i++) png.data[i] = (i * 131) % 256;
    const img = decodeImage(PNG.sync.write(png));
    for (const c of [3, 1, 4]) {
      const t = imageToInput(img, [11, 13, c]);
      const want = rgbaToChannels(resizeRgba(png.data, w, h, 11, 13, sourceRect(w, h, 11, 13, 'crop')), c);
      expect(Array.from(t.dataSync())).toEqual(Array.from(want));
      t.dispose();
    }
  });
});
