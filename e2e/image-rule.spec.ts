import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { PNG } from 'pngjs';
import { decodeImage, imageToInput } from '../src/drivers/compile/node-image.ts';
import { shot } from './helpers.ts';

/**
 * One image rule (issue 23 item 4): the same PNG through the Run tab (Chromium decodes it on a canvas, the worker
 * resizes it) and through `convas run --image` (pngjs decodes it) feeds the model the same input tensor. The design
 * is the input flattened, so its output is that tensor: the Run tab's min, mean, max and top 5 (5 significant
 * digits) must be the CLI's. The image is 9×7 pixels of seeded values, centre-cropped to 7×7 and resized to 6×6:
 * every output value is interpolated, so another resize rule (the canvas's own, or no half-pixel centres) shows.
 */

const design = {
  format: 'convas.design', version: 1, name: 'image rule',
  nodes: [{ id: 'in', kind: 'input', params: { shape: [6, 6, 3] } }, { id: 'flat', kind: 'flatten', params: {} }],
  edges: [{ id: 'e1', source: 'in', target: 'flat' }],
};

/** A 9×7 opaque PNG of seeded pixel values (a linear congruential stream, no two neighbours alike). */
function seededPng(): Buffer {
  const png = new PNG({ width: 9, height: 7 });
  let s = 12345;
  for (let i = 0; i < png.data.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    png.data[i] = i % 4 === 3 ? 255 : (s >>> 16) & 255;
  }
  return PNG.sync.write(png);
}

const p5 = (v: number) => v.toPrecision(5);

for (const viewport of [{ width: 1280, height: 720 }, { width: 1400, height: 900 }]) {
  test(`the Run tab and convas run --image feed the same tensor from one PNG at ${viewport.width}×${viewport.height}`, async ({ page }) => {
    test.setTimeout(90_000);
    const png = seededPng();
    const dir = mkdtempSync(join(tmpdir(), 'convas-image-rule-'));
    try {
      writeFileSync(join(dir, 'design.convas.json'), JSON.stringify(design));
      writeFileSync(join(dir, 'seeded.png'), png);
      // the CLI's path, as a person runs it: its stats of the output (= the input tensor)
      const cli = JSON.parse(execFileSync(process.execPath, ['bin/convas.js', 'run', join(dir, 'design.convas.json'), '--image', join(dir, 'seeded.png'), '--json'], { encoding: 'utf8' }));
      const stats = cli.stats.flat as { min: number; mean: number; max: number };
      // and the tensor itself, by the functions the CLI calls (pngjs decode, then the one resize rule)
      const input = imageToInput(decodeImage(new Uint8Array(png)), [6, 6, 3]);
      const values = Array.from(input.dataSync());
      input.dispose();
      expect(values.reduce((a, b) => a + b, 0) / values.length).toBeCloseTo(stats.mean, 6);
      const top5 = values.map((v, i) => [i, v] as const).sort((a, b) => b[1] - a[1]).slice(0, 5);

      await page.setViewportSize(viewport);
      await page.goto('/');
      await expect(page.getByTestId('total-params')).toBeVisible();
      await page.getByTestId('open-input').setInputFiles({ name: 'image-rule.convas.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)) });
      await expect(page.getByTestId('node-flat')).toBeVisible();
      await page.getByRole('tab', { name: 'Run' }).click();
      const panel = page.getByTestId('run-panel');
      await panel.getByTestId('run-image-input').setInputFiles({ name: 'seeded.png', mimeType: 'image/png', buffer: png });
      await panel.getByRole('button', { name: 'Run forward pass' }).click();
      await expect(panel.getByTestId('run-output-shape')).toHaveText('108', { timeout: 60_000 });
      await expect(panel.getByTestId('run-fit')).toBeVisible();
      await expect(panel.getByTestId('run-output-values')).toHaveText(`min ${p5(stats.min)} · mean ${p5(stats.mean)} · max ${p5(stats.max)}`);
      const items = panel.locator('.run-top5 li');
      await expect(items).toHaveText(top5.map(([i, v]) => `class ${i}: ${p5(v)}`));
      await shot(page, `image-rule-${viewport.width}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
