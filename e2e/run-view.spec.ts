// Issue 14, "the run, seen properly": the bottom panel resizes and remembers its size, the Run button is in
// view at 1440×900, a feature map opens large with its value range and scale, and your own image is
// centre-cropped (or stretched, on request) with the tab saying which.
import { expect, test, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { shot } from './helpers.ts';

const small = JSON.stringify({
  format: 'convas.design', version: 1, name: 'Small run',
  nodes: [
    { id: 'in', kind: 'input', params: { shape: [48, 48, 3] }, position: { x: 0, y: 0 } },
    { id: 'conv', kind: 'conv2d', params: { filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }, position: { x: 0, y: 130 } },
    { id: 'pool', kind: 'maxPool2d', params: { poolSize: 2 }, position: { x: 0, y: 260 } },
  ],
  edges: [{ id: 'e1', source: 'in', target: 'conv' }, { id: 'e2', source: 'conv', target: 'pool' }],
});

/** A 96×48 PNG: white, with a black disc of radius 20 in the middle. */
function discPng(): Buffer {
  const png = new PNG({ width: 96, height: 48 });
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x < 96; x++) {
      const o = (y * 96 + x) * 4;
      const inside = (x + 0.5 - 48) ** 2 + (y + 0.5 - 24) ** 2 <= 20 ** 2;
      png.data[o] = png.data[o + 1] = png.data[o + 2] = inside ? 0 : 255;
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** The dark disc's width and height in the preview the Run tab shows (its input pixels). */
async function discExtent(page: Page): Promise<{ width: number; height: number }> {
  return page.getByTestId('run-preview').locator('img').evaluate(async (img: HTMLImageElement) => {
    const probe = new Image();
    probe.src = img.src;
    await probe.decode();
    const c = document.createElement('canvas');
    c.width = probe.naturalWidth;
    c.height = probe.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(probe, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let x0 = Infinity, x1 = -1, y0 = Infinity, y1 = -1;
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++) {
        if (d[(y * c.width + x) * 4] < 128) {
          x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
        }
      }
    }
    return { width: x1 - x0 + 1, height: y1 - y0 + 1 };
  });
}

test('at 1440×900 the Run button is in view; the bottom panel resizes by dragging and keeps its size after a reload', async ({ page }) => {
  await page.goto('/?preset=resnet18');
  await page.getByRole('tab', { name: 'Run' }).click();
  const run = page.getByRole('button', { name: 'Run forward pass' });
  await expect(run).toBeInViewport({ ratio: 1 });
  await shot(page, 'run-tab-default');

  const panel = page.locator('.bottom-panel');
  const before = (await panel.boundingBox())!.height;
  const bar = (await page.getByTestId('panel-splitter').boundingBox())!;
  await page.mouse.move(bar.x + 400, bar.y + bar.height / 2);
  await page.mouse.down();
  await page.mouse.move(bar.x + 400, bar.y - 100, { steps: 6 });
  await page.mouse.move(bar.x + 400, bar.y - 180, { steps: 6 });
  await page.mouse.up();
  const after = (await panel.boundingBox())!.height;
  expect(after).toBeGreaterThan(before + 170);
  expect(after).toBeLessThan(before + 190);
  await expect(run).toBeInViewport({ ratio: 1 });
  await shot(page, 'run-tab-taller');

  await page.reload();
  await expect(page.getByTestId('total-params')).toBeVisible();
  expect(Math.abs((await panel.boundingBox())!.height - after)).toBeLessThanOrEqual(1);
  // the keyboard resizes it too
  await page.getByTestId('panel-splitter').focus();
  await page.keyboard.press('ArrowDown');
  expect(Math.abs((await panel.boundingBox())!.height - (after - 20))).toBeLessThanOrEqual(1);
});

test('a feature map opens large with its value range and scale; your own image is centre-cropped, or stretched, and says so', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await page.getByTestId('open-input').setInputFiles({ name: 'small.convas.json', mimeType: 'application/json', buffer: Buffer.from(small) });
  await expect(page.getByTestId('design-title')).toHaveText('Small run');
  await page.getByRole('tab', { name: 'Run' }).click();
  const panel = page.getByTestId('run-panel');
  await panel.getByTestId('run-image-input').setInputFiles({ name: 'disc.png', mimeType: 'image/png', buffer: discPng() });
  await expect(panel.getByTestId('run-fit-select')).toHaveValue('crop');
  await panel.getByRole('button', { name: 'Run forward pass' }).click();
  await expect(panel.getByTestId('run-output-shape')).toHaveText('24×24×8', { timeout: 60_000 });
  // centre-cropped: a 96×48 picture loses 24 columns each side, and the disc stays round (40 px of 48 both ways)
  await expect(panel.getByTestId('run-fit')).toHaveText('96×48, centre-cropped to 48×48, resized to 48×48');
  const round = await discExtent(page);
  expect(Math.abs(round.width - round.height)).toBeLessThanOrEqual(1);
  expect(round.height).toBeGreaterThanOrEqual(39);

  // the conv's maps: click one, it opens large
  await page.getByTestId('node-conv').click();
  await expect(panel.getByTestId('feature-thumb')).toHaveCount(8);
  const thumbTitle = await panel.locator('.thumb').nth(2).getAttribute('title');
  await panel.getByTestId('feature-thumb').nth(2).click();
  const view = page.getByTestId('feature-view');
  await expect(view).toBeVisible();
  await expect(view).toContainText('conv · channel 2 of 8');
  const large = (await view.getByTestId('feature-large').boundingBox())!;
  expect(large.width).toBeGreaterThanOrEqual(400);
  // the range it states is the channel's (the thumbnail's title has the same numbers)
  const [, lo, hi] = /channel 2: (\S+) … (\S+)/.exec(thumbTitle!)!;
  const range = await view.getByTestId('fmap-range').textContent();
  const [, vlo, vhi] = /values (\S+) … (\S+)/.exec(range!)!;
  expect(Number(vlo)).toBeCloseTo(Number(lo), 2);
  expect(Number(vhi)).toBeCloseTo(Number(hi), 2);
  await expect(view.getByTestId('fmap-scale')).toBeVisible();
  // a unit in the middle sees the 3×3 pixels around it
  await view.getByTestId('feature-large').click({ position: { x: large.width * (24.5 / 48), y: large.height * (24.5 / 48) } });
  await expect(view.getByTestId('fmap-unit')).toHaveText('unit (row 24, column 24) sees 3×3 input pixels:');
  await expect(view.getByTestId('rf-box')).toHaveAttribute('title', 'rows 23–25, columns 23–25');
  await page.keyboard.press('ArrowRight');
  await expect(view).toContainText('conv · channel 3 of 8');
  await shot(page, 'feature-map-large');
  await page.keyboard.press('Escape');
  await expect(view).toHaveCount(0);
  // Escape in the view did not clear the selection
  await expect(panel.getByTestId('feature-thumb')).toHaveCount(8);

  // stretched on request: the disc becomes an ellipse half as wide as tall, and the tab says so
  await panel.getByTestId('run-fit-select').selectOption('stretch');
  await panel.getByRole('button', { name: 'Run forward pass' }).click();
  await expect(panel.getByTestId('run-fit')).toHaveText('96×48, stretched to 48×48');
  const squashed = await discExtent(page);
  expect(Math.abs(squashed.width - squashed.height / 2)).toBeLessThanOrEqual(2);
  await shot(page, 'run-own-image-stretched');
});
