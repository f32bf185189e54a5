import { expect, test } from '@playwright/test';

// Timings live in `npm run bench`; this checks that a large design behaves: edits land, the long summary
// table draws only the rows in view and follows the selection, auto-layout finishes.
test('DenseNet-121 (427 layers): edits re-annotate, the long table draws only rows in view and follows the selection', async ({ page }) => {
  await page.goto('/?preset=densenet121');
  await expect(page.getByTestId('total-params')).toContainText('8,062,504');
  await page.getByTestId('row-features.conv0').click();
  const field = page.getByTestId('field-filters');
  for (const v of ['65', '66', '64']) {
    await field.fill(v);
    await expect(page.getByTestId('inspector-output')).toContainText(`×${v}`);
  }
  await expect(page.getByTestId('total-params')).toContainText('8,062,504');

  // a screenful of rows in the DOM, not 427
  const rows = page.locator('.summary-table tbody tr:not(.spacer)');
  expect(await rows.count()).toBeLessThan(80);
  // a layer found with Ctrl+F far down the network: its row is drawn, selected and in view
  await page.keyboard.press('Control+f');
  await page.keyboard.type('features.denseblock4.denselayer16.conv2');
  const row = page.getByTestId('row-features.denseblock4.denselayer16.conv2');
  await expect(row).toHaveClass(/selected/);
  await expect(row).toBeInViewport();
  await expect(row).toContainText('7×7×32');

  await page.getByTestId('layout-button').click();
  await expect(page.getByTestId('layout-button')).toHaveText('Auto-layout', { timeout: 20_000 });
  await expect(page.getByTestId('total-params')).toContainText('8,062,504');
});
