import { expect, test } from '@playwright/test';

test('densenet-121 (427 layers) opens and takes an edit quickly', async ({ page }) => {
  const t0 = Date.now();
  await page.goto('/?preset=densenet121');
  await expect(page.getByTestId('total-params')).toContainText('8,062,504');
  const opened = Date.now() - t0;
  await page.getByTestId('row-features.conv0').click();
  const field = page.getByTestId('field-filters');
  const times: number[] = [];
  for (const v of ['65', '66', '64']) {
    const t = Date.now();
    await field.fill(v);
    await expect(page.getByTestId('inspector-output')).toContainText(`×${v}`);
    times.push(Date.now() - t);
  }
  const t1 = Date.now();
  await page.getByTestId('layout-button').click();
  await expect(page.getByTestId('layout-button')).toHaveText('Auto-layout', { timeout: 20_000 });
  const layout = Date.now() - t1;
  await expect(page.getByTestId('total-params')).toContainText('8,062,504');
  console.log(`densenet121: opened in ${opened} ms; edits took ${times.join(', ')} ms; auto-layout ${layout} ms`);
  expect(Math.max(...times)).toBeLessThan(1500);
});
