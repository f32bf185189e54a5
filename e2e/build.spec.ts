import { expect, test } from '@playwright/test';
import { dragToCanvas, openBlank, shot, wire } from './helpers.ts';

test('drag a small CNN from the palette, wire it, and read shapes and totals', async ({ page }) => {
  await openBlank(page);
  await dragToCanvas(page, 'input', 300, 40);
  await dragToCanvas(page, 'conv2d', 300, 150);
  await dragToCanvas(page, 'maxPool2d', 300, 260);
  await dragToCanvas(page, 'flatten', 300, 370);
  await dragToCanvas(page, 'dense', 300, 480);
  for (const id of ['input', 'conv2d', 'maxPool2d', 'flatten', 'dense']) await expect(page.getByTestId(`node-${id}`)).toBeVisible();

  await wire(page, 'input', 'conv2d');
  await wire(page, 'conv2d', 'maxPool2d');
  await wire(page, 'maxPool2d', 'flatten');
  await wire(page, 'flatten', 'dense');

  // input 224×224×3 → conv 3×3 valid · 64 → 222×222×64 → pool 2 → 111×111×64 → flatten 788,544 → dense
  const labels = page.locator('.edge-label');
  await expect(labels).toHaveCount(4);
  await expect(labels.filter({ hasText: /^224×224×3$/ })).toHaveCount(1);
  await expect(labels.filter({ hasText: /^222×222×64$/ })).toHaveCount(1);
  await expect(labels.filter({ hasText: /^111×111×64$/ })).toHaveCount(1);
  await expect(labels.filter({ hasText: /^788544$/ })).toHaveCount(1);
  await expect(page.getByTestId('node-conv2d')).toContainText('1,792 params');
  await expect(page.getByTestId('node-conv2d')).toContainText('RF 3×3');
  // After flatten there is no spatial layout: a dash, not the '?' of a layer that cannot be computed.
  await expect(page.getByTestId('node-dense')).toContainText('RF —');
  const denseUnits = Number((await page.getByTestId('node-dense').locator('.layer-summary').textContent())!.match(/\d+/)![0]);
  const total = 1792 + 788544 * denseUnits + denseUnits;
  await expect(page.getByTestId('total-params')).toContainText(`Total params: ${total.toLocaleString('en-US')}`);
  await shot(page, 'build-small-cnn');

  // change filters in the inspector: counts follow as the person types
  await page.getByTestId('node-conv2d').click();
  const filters = page.getByTestId('field-filters');
  await filters.fill('32');
  await expect(page.getByTestId('inspector-params')).toHaveText('896');
  await expect(page.getByTestId('node-conv2d')).toContainText('896 params');
  await expect(labels.filter({ hasText: /^222×222×32$/ })).toHaveCount(1);
  const total32 = 896 + 394272 * denseUnits + denseUnits;
  await expect(page.getByTestId('total-params')).toContainText(`Total params: ${total32.toLocaleString('en-US')}`);
  await expect(page.getByTestId('explain')).toContainText('params = 3·3·3·32 + 32 = 896');

  // a bad value keeps the text and says why; the design keeps the last good value
  await filters.fill('0');
  await expect(filters).toHaveValue('0');
  await expect(page.locator('.field-issue')).toContainText('Filters must be from 1');
  await expect(page.getByTestId('node-conv2d')).toContainText('896 params');
  await shot(page, 'inspector-invalid');

  // undo / redo with the keyboard
  await page.getByTestId('canvas').click({ position: { x: 600, y: 300 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-conv2d')).toContainText('1,792 params');
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('node-conv2d')).toContainText('896 params');
});
