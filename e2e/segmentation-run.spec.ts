// Issue 21, its last item: the Run tab shows a segmentation output sensibly. An [H, W, classes] output becomes a
// class map over the input image (colours, a legend with each class's share, an opacity slider), placed where its
// units look (a map smaller than the input, from valid convs, is drawn centred); decoder layers show their
// feature maps as any layer does.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { shot } from './helpers.ts';

/** A small U-Net-like design: valid convs shrink 40 → 32, and every decoder kind is on the way back up. */
const tinyUnet = JSON.stringify({
  format: 'convas.design', version: 1, name: 'Tiny U-Net',
  nodes: [
    { id: 'in', kind: 'input', params: { shape: [40, 40, 3] } },
    { id: 'enc', kind: 'conv2d', params: { filters: 8, kernelSize: 3, padding: 'valid', activation: 'relu' } },
    { id: 'pool', kind: 'maxPool2d', params: { poolSize: 2 } },
    { id: 'mid', kind: 'conv2d', params: { filters: 8, kernelSize: 3, padding: 'valid', activation: 'relu' } },
    { id: 'up', kind: 'upsample2d', params: { size: 2 } },
    { id: 'deconv', kind: 'conv2dTranspose', params: { filters: 8, kernelSize: 3, activation: 'relu' } },
    { id: 'crop', kind: 'cropping2d', params: { cropping: 2 } },
    { id: 'head', kind: 'conv2d', params: { filters: 3, kernelSize: 1 } },
  ].map((n, i) => ({ ...n, position: { x: 0, y: 110 * i } })),
  edges: ['in', 'enc', 'pool', 'mid', 'up', 'deconv', 'crop', 'head'].slice(1)
    .map((id, i, ids) => ({ id: `e${i}`, source: i ? ids[i - 1] : 'in', target: id })),
});

/** The legend's shares, in percent. */
async function shares(panel: Locator): Promise<number[]> {
  const texts = await panel.locator('.class-share').allTextContents();
  return texts.map((t) => Number(t.replace('%', '')));
}

/** Drags the opacity slider's thumb to the left end, as a person does. */
async function dragOpacityToZero(page: Page, panel: Locator) {
  const slider = panel.getByTestId('class-map-opacity');
  await slider.scrollIntoViewIfNeeded();
  const b = (await slider.boundingBox())!;
  await page.mouse.move(b.x + b.width * 0.6, b.y + b.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width * 0.3, b.y + b.height / 2, { steps: 4 });
  await page.mouse.move(b.x - 20, b.y + b.height / 2, { steps: 4 });
  await page.mouse.up();
}

test.describe('at 1280×720', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('LR-ASPP: the 224×224×21 output is a class map covering the image, with a legend and an opacity slider', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto('/?preset=lraspp-mobilenet-v3-large');
    await expect(page.getByTestId('total-params')).toBeVisible();
    await page.getByRole('tab', { name: 'Run' }).click();
    const panel = page.getByTestId('run-panel');
    await panel.getByRole('button', { name: 'Run forward pass' }).click();
    await expect(panel.getByTestId('run-output-shape')).toHaveText('224×224×21', { timeout: 150_000 });

    const map = panel.getByTestId('class-map');
    await map.scrollIntoViewIfNeeded();
    await expect(map).toBeVisible();
    await expect(panel.getByTestId('class-map-caption')).toContainText('The 224×224 class map covers the 224×224 input');
    await expect(panel.getByTestId('class-map-caption')).toContainText('largest of its 21 scores');
    // the map lies exactly over the image
    const img = (await map.locator('img').boundingBox())!;
    const canvas = (await panel.getByTestId('class-map-canvas').boundingBox())!;
    for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(canvas[k] - img[k])).toBeLessThanOrEqual(1);
    // every pixel is in one class: the shares add up to 100% (each rounded to 0.1)
    const s = await shares(panel);
    expect(s.length).toBeGreaterThanOrEqual(1);
    expect(Math.abs(s.reduce((a, b) => a + b, 0) - 100)).toBeLessThanOrEqual(0.05 * s.length + 1e-9);
    await shot(page, 'segmentation-lraspp-1280');

    // pointing at the map names the unit's class, which the legend lists
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    await expect(panel.getByTestId('class-map-hover')).toContainText('unit (row 112, column 112): class ');
    const cls = (await panel.getByTestId('class-map-hover').locator('strong').textContent())!;
    await expect(panel.getByTestId('class-map-legend')).toContainText(cls);

    await expect(panel.getByTestId('class-map-opacity-value')).toHaveText('60%');
    await dragOpacityToZero(page, panel);
    await expect(panel.getByTestId('class-map-opacity-value')).toHaveText('0%');
    await expect(panel.getByTestId('class-map-canvas')).toHaveCSS('opacity', '0');
    await shot(page, 'segmentation-lraspp-1280-opacity0');
  });
});

test.describe('at 1400×900', () => {
  test.use({ viewport: { width: 1400, height: 900 } });

  test('a U-Net-like design: the 32×32 map is centred 4 pixels in on its 40×40 input; decoder layers show their feature maps', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('/');
    await page.getByTestId('open-input').setInputFiles({ name: 'tiny-unet.convas.json', mimeType: 'application/json', buffer: Buffer.from(tinyUnet) });
    await expect(page.getByTestId('design-title')).toHaveText('Tiny U-Net');
    await page.getByRole('tab', { name: 'Run' }).click();
    const panel = page.getByTestId('run-panel');
    await panel.getByRole('button', { name: 'Run forward pass' }).click();
    await expect(panel.getByTestId('run-output-shape')).toHaveText('32×32×3', { timeout: 60_000 });

    const map = panel.getByTestId('class-map');
    await expect(map).toBeVisible();
    // (40 − 32)/2 = 4: unit 0's 10×10 window starts at pixel 0 and is centred on 4.5, unit 1's on 5.5 − 1, …
    await expect(panel.getByTestId('class-map-caption')).toContainText("unit (0, 0)'s receptive field is centred on input pixel (4, 4)");
    await expect(panel.getByTestId('class-map-caption')).toContainText('the map starts 4 pixels in');
    const img = (await map.locator('img').boundingBox())!;
    const canvas = (await panel.getByTestId('class-map-canvas').boundingBox())!;
    const px = img.width / 40;
    expect(Math.abs(canvas.x - img.x - 4 * px)).toBeLessThanOrEqual(1);
    expect(Math.abs(canvas.y - img.y - 4 * px)).toBeLessThanOrEqual(1);
    expect(Math.abs(canvas.width - 32 * px)).toBeLessThanOrEqual(1);
    expect(Math.abs(canvas.height - 32 * px)).toBeLessThanOrEqual(1);
    await expect(panel.getByTestId('class-map-legend-item').first()).toBeVisible();
    await page.mouse.move(canvas.x + 1, canvas.y + 1);
    await expect(panel.getByTestId('class-map-hover')).toContainText('unit (row 0, column 0): class ');
    await shot(page, 'segmentation-tiny-unet-1400');
    await panel.getByTestId('class-map-legend').scrollIntoViewIfNeeded();
    await shot(page, 'segmentation-tiny-unet-1400-legend');

    // the decoder layers' feature maps, each at its own size
    for (const [id, size] of [['up', '34×34'], ['deconv', '36×36'], ['crop', '32×32']] as const) {
      await page.getByTestId(`node-${id}`).click();
      await expect(panel.locator('.run-maps-title')).toContainText(`${id}: ${size}, 8 channels`);
      await expect(panel.getByTestId('feature-thumb')).toHaveCount(8);
    }
    await panel.getByTestId('feature-thumb').nth(0).click();
    await expect(page.getByTestId('feature-view')).toContainText('crop · channel 0 of 8');
    await shot(page, 'segmentation-tiny-unet-crop-map');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('feature-view')).toHaveCount(0);
  });
});
