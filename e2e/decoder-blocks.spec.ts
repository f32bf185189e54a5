import { expect, test } from '@playwright/test';
import { dragToCanvas, openBlank, shot } from './helpers.ts';

for (const viewport of [{ width: 1280, height: 720 }, { width: 1400, height: 900 }]) {
  test(`an up-block takes the deep layer and the skip a person selected, in one undo step (${viewport.width}×${viewport.height})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await openBlank(page);
    await dragToCanvas(page, 'input', 300, 40);
    await page.getByTestId('node-input').click();
    await page.getByTestId('field-shape').fill('56, 56, 64');
    // the encoder's next level: a pool halves the map, clicked in below the input
    await page.getByTestId('palette-maxPool2d').click();
    await expect(page.locator('.react-flow__node-layer')).toHaveCount(2);
    // select the pool and, with Ctrl, the input (the skip), then click the up-block
    await page.getByTestId('node-input').click({ modifiers: ['Control'] });
    await expect(page.getByTestId('selection-inspector')).toContainText('2 layers selected');
    await page.getByTestId('palette-block-up-block').click();
    // up-conv 2·2·64·32 + 32 = 8,224; concat 64 + 32 = 96; convs 3·3·96·32 + 32 = 27,680 and 3·3·32·32 + 32 = 9,248
    await expect(page.getByTestId('total-params')).toContainText('Total params: 45,152 ');
    await expect(page.locator('.ok-badge')).toBeVisible();
    await expect(page.locator('.group-row')).toHaveCount(1);
    await expect(page.locator('.group-row').first()).toContainText('Up-block (decoder)');
    await shot(page, `up-block-wired-${viewport.width}`);
    // one undo step takes the whole block and both wires away
    await page.keyboard.press('Control+z');
    await expect(page.locator('.react-flow__node-layer')).toHaveCount(2);
    await expect(page.locator('.ok-badge')).toBeVisible();
  });
}

test('an up-block below one layer leaves the skip to wire: the concat says so and the quick fix wires it', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openBlank(page);
  await dragToCanvas(page, 'input', 300, 40);
  await page.getByTestId('node-input').click();
  await page.getByTestId('field-shape').fill('28, 28, 64');
  await page.getByTestId('palette-block-up-block').click();
  await expect(page.locator('.ok-badge')).toHaveCount(0);
  await expect(page.getByText(/needs at least 2 inputs, got 1/).first()).toBeVisible();
  await shot(page, 'up-block-unwired');
});

test('a U-Net level of two levels, valid, is dropped with its crops and fits a 140×140 input', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await openBlank(page);
  await dragToCanvas(page, 'input', 300, 40);
  await page.getByTestId('node-input').click();
  await page.getByTestId('field-shape').fill('140, 140, 1');
  await page.getByTestId('block-settings-unet-level').locator('summary').click();
  await page.getByTestId('block-unet-level-levels').fill('2');
  await page.getByTestId('block-unet-level-filters').fill('4');
  await page.getByTestId('block-unet-level-padding').selectOption('valid');
  await page.getByTestId('palette-block-unet-level').click();
  await expect(page.locator('.ok-badge')).toBeVisible();
  await page.getByTestId('layout-button').click();
  await shot(page, 'unet-level-2');
});
