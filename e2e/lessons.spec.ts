import { expect, test, type Locator, type Page } from '@playwright/test';
import { shot } from './helpers.ts';

/**
 * The teaching presets as a student opens them at 1280×720 and 1400×900: the 5×5-vs-two-3×3 lesson shows both ways
 * side by side with their params and, once both outputs are selected, their equal fields; no group's label hides
 * under a shape label; the output-size lesson's conv explains ⌊(28 − 5)/2⌋ + 1 = 12 and the row no window reaches;
 * DenseNet-121's totals lead with the count in the student's notes.
 */

/** Whether two boxes on screen overlap. */
async function overlap(a: Locator, b: Locator): Promise<boolean> {
  const x = (await a.boundingBox())!;
  const y = (await b.boundingBox())!;
  return x.x < y.x + y.width && y.x < x.x + x.width && x.y < y.y + y.height && y.y < x.y + x.height;
}

async function noHeadUnderALabel(page: Page, groups: string[]) {
  const labels = page.locator('.edge-label');
  const n = await labels.count();
  expect(n).toBeGreaterThan(0);
  for (const g of groups) {
    const head = page.getByTestId(`frame-head-${g}`);
    await expect(head).toBeVisible();
    for (let i = 0; i < n; i++) expect(await overlap(head, labels.nth(i)), `${g}'s head under edge label ${i}`).toBe(false);
  }
}

for (const [w, h] of [[1280, 720], [1400, 900]] as const) {
  test(`5×5 vs two 3×3 at ${w}×${h}: both ways side by side, their params, the same field when both are selected`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await page.goto('/?preset=conv-5x5-vs-3x3');
    await expect(page.getByTestId('total-params')).toHaveText('Total params: 176,320 (705.28 kB)');
    // nothing hidden to compare against: no baseline, no "not in this design" rows
    await expect(page.getByTestId('pin-baseline')).toBeVisible();
    await expect(page.locator('.removed-row')).toHaveCount(0);
    // each way's frame names it with its params: 25·64·64 + 64 = 102,464; 2·(9·64·64 + 64) = 73,856
    await expect(page.getByTestId('frame-head-single')).toContainText('one 5×5');
    await expect(page.getByTestId('frame-stats-single')).toHaveText('102,464 params');
    await expect(page.getByTestId('frame-head-stacked')).toContainText('two 3×3');
    await expect(page.getByTestId('frame-stats-stacked')).toHaveText('73,856 params');
    await noHeadUnderALabel(page, ['single', 'stacked']);
    for (const id of ['conv5x5', 'conv3x3_a', 'conv3x3_b']) await expect(page.getByTestId(`node-${id}`)).toBeInViewport();
    // "select them and compare the receptive field": click one output, Ctrl+click the other
    await page.getByTestId('node-conv5x5').click();
    await page.getByTestId('node-conv3x3_b').click({ modifiers: ['Control'] });
    const fields = page.getByTestId('selection-fields');
    await expect(fields.getByTestId('selection-row-conv5x5')).toContainText('102,464');
    await expect(fields.getByTestId('selection-row-conv5x5')).toContainText('5×5');
    await expect(fields.getByTestId('selection-row-conv3x3_b')).toContainText('36,928');
    await expect(fields.getByTestId('selection-row-conv3x3_b')).toContainText('5×5');
    await expect(fields.getByTestId('selection-same-field')).toHaveText('Each sees the same 5×5 receptive field.');
    await shot(page, `lesson-5x5-${w}x${h}`);
    // the first 3×3 alone sees less: the fields differ
    await page.getByTestId('node-conv3x3_a').click({ modifiers: ['Control'] });
    await expect(fields.getByTestId('selection-same-field')).toHaveText('Their receptive fields differ.');
  });

  test(`the output-size lesson at ${w}×${h}: ⌊(28 − 5)/2⌋ + 1 = 12 and the row no window reaches`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await page.goto('/?preset=output-size');
    await page.getByTestId('node-conv1').click();
    const view = page.getByTestId('window-explainer');
    await view.scrollIntoViewIfNeeded();
    const formula = view.getByTestId('wx-formula');
    await expect(formula).toContainText('out = ⌊(28 + 2·0 − 5) / 2⌋ + 1');
    await expect(formula).toContainText('= ⌊11.5⌋ + 1');
    await expect(formula).toContainText('= 12');
    await expect(formula).toContainText('params = 5·5·1·8 + 8 = 208');
    // windows start at 0, 2, …, 22 and end at 26: row 27 and column 27 are never read
    await expect(view.getByTestId('wx-unreached')).toContainText('No window reaches 1 row (27) and 1 column (27) of the input');
    // 28×28 draws its first and last rows and columns with a gap between, which says so; the window steps through it
    await expect(view.getByTestId('wx-elided')).toContainText('Rows and columns 7–19 of the input are left out');
    await view.getByTestId('wx-step').click();
    await expect(view.getByTestId('wx-count')).toHaveText('2 / 16');
    await shot(page, `lesson-output-size-${w}x${h}`);
  });

  test(`DenseNet-121 at ${w}×${h}: the totals lead with 7,978,856 and say what the statistics add`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await page.goto('/?preset=densenet121');
    const totals = page.getByTestId('totals');
    await expect(totals.locator('.total-line').first()).toContainText('Trainable params: 7,978,856');
    await expect(page.getByTestId('trainable-params-note')).toHaveText('the count papers and torchvision quote');
    await expect(page.getByTestId('nontrainable-params')).toContainText('83,648');
    await expect(page.getByTestId('total-params')).toContainText('Total params: 8,062,504');
    await expect(page.getByTestId('total-params-note')).toHaveText("Keras's total: trainable + statistics");
    await expect(page.getByTestId('trainable-params')).toBeInViewport();
    await shot(page, `lesson-densenet-totals-${w}x${h}`);
  });
}
