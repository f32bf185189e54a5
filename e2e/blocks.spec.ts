import { expect, test } from '@playwright/test';
import { dragToCanvas, openBlank, shot } from './helpers.ts';

test('a residual block ×2 goes in below the selected layer, sized and wired for it', async ({ page }) => {
  await openBlank(page);
  await dragToCanvas(page, 'input', 300, 60);
  await page.getByTestId('node-input').click();
  await page.getByTestId('field-shape').fill('56, 56, 64');
  await page.getByTestId('block-times').fill('2');
  await page.getByTestId('palette-block-residual-basic').click();
  await expect(page.locator('.react-flow__node-layer')).toHaveCount(15);
  await expect(page.locator('.ok-badge')).toBeVisible();
  // two blocks of two 3×3·64·64 convs (no bias) and two batch norms of 4·64
  await expect(page.getByTestId('total-params')).toContainText('Total params: 148,480 ');
  await expect(page.getByTestId('trainable-params')).toContainText('Trainable params: 147,968 ');
  await expect(page.locator('.shape-edge.skip')).toHaveCount(2);
  await expect(page.locator('.group-row')).toHaveCount(2);
  await expect(page.locator('.group-row').first()).toContainText('Residual basic block 1');
  await page.getByTestId('layout-button').click();
  await shot(page, 'residual-blocks');
  // collapse the first block: one stand-in node with the block's totals, wired in and out
  const group = (await page.locator('.group-frame[data-testid^="frame-"]').first().getAttribute('data-testid'))!.slice('frame-'.length);
  // the second block sits below the first; collapsing the first moves it up, expanding moves it back
  await expect(page.getByTestId('layout-button')).toHaveText('Auto-layout'); // the layout has landed (and fitted the view)
  const second = page.getByTestId((await page.locator('.group-frame[data-testid^="frame-"]').nth(1).getAttribute('data-testid'))!);
  const yBefore = (await second.boundingBox())!.y;
  await page.getByTestId(`toggle-${group}`).click();
  await expect.poll(async () => (await second.boundingBox())!.y).toBeLessThan(yBefore - 50);
  const yCollapsed = (await second.boundingBox())!.y;
  await expect(page.getByTestId(`group-${group}`)).toContainText('74,240 params');
  await expect(page.getByTestId(`group-${group}`)).toContainText('56×56×64');
  await expect(page.locator('.react-flow__node-layer:visible')).toHaveCount(8);
  await expect(page.getByTestId('total-params')).toContainText('Total params: 148,480 ');
  await shot(page, 'residual-collapsed');
  await page.getByTestId(`toggle-${group}`).click();
  await expect(page.locator('.react-flow__node-layer:visible')).toHaveCount(15);
  // expanding moves it back down below the first block (since the frames' label bars, the re-layout after an expand
  // can place it lower than before the collapse: the exact place is not restored)
  const first = page.getByTestId(`frame-${group}`);
  await expect.poll(async () => (await second.boundingBox())!.y).toBeGreaterThan(yCollapsed + 50);
  const [a, b] = [(await first.boundingBox())!, (await second.boundingBox())!];
  expect(b.y).toBeGreaterThan(a.y + a.height / 2);
});

test('an inception module dropped from the palette fits a 28×28×192 input', async ({ page }) => {
  await openBlank(page);
  await dragToCanvas(page, 'input', 300, 40);
  await page.getByTestId('node-input').click();
  await page.getByTestId('field-shape').fill('28, 28, 192');
  await page.getByTestId('palette-block-inception').click();
  await expect(page.locator('.ok-badge')).toBeVisible();
  // the 1×1-reduction module of GoogLeNet (3a): 163,696 params
  await expect(page.getByTestId('total-params')).toContainText('Total params: 163,696 ');
});

test('copy, paste, duplicate, select all and delete with the keyboard', async ({ page }) => {
  await page.goto('/?preset=conv-5x5-vs-3x3');
  await expect(page.getByTestId('total-params')).toContainText('176,320');
  const nodes = page.locator('.react-flow__node-layer');
  const n = await nodes.count();
  await nodes.last().click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(nodes).toHaveCount(n + 1);
  await page.keyboard.press('Control+d');
  await expect(nodes).toHaveCount(n + 2);
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await expect(nodes).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(nodes).toHaveCount(n + 2);
});

test('group selection makes a block of the selected layers; ungroup dissolves one', async ({ page }) => {
  await page.goto('/?preset=conv-5x5-vs-3x3');
  await expect(page.getByTestId('total-params')).toContainText('176,320');
  await expect(page.locator('.group-row')).toHaveCount(2);
  // dissolve the preset's "two 3×3" group from the inspector
  await page.getByTestId('node-conv3x3_a').click();
  await expect(page.getByTestId('node-group')).toHaveText('two 3×3');
  await page.getByTestId('ungroup').click();
  await expect(page.getByTestId('frame-stacked')).toHaveCount(0);
  await expect(page.locator('.group-row')).toHaveCount(1);
  // select both 3×3 convs (Ctrl+click) and group them under a name of our own
  await page.getByTestId('node-conv3x3_b').click({ modifiers: ['Control'] });
  await expect(page.getByTestId('selection-inspector')).toContainText('2 layers selected');
  await expect(page.getByTestId('selection-params')).toHaveText('73,856');
  await page.getByTestId('group-label').fill('Pair of 3×3');
  await page.getByTestId('group-selection').click();
  await expect(page.getByTestId('frame-head-block_1')).toContainText('Pair of 3×3');
  await expect(page.getByTestId('frame-head-block_1')).toContainText('73,856 params');
  await expect(page.locator('.group-row')).toHaveCount(2);
  await expect(page.locator('.group-row', { hasText: 'Pair of 3×3' })).toContainText('73,856');
  await shot(page, 'group-selection');
  // one undo step each way; the totals never change
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('frame-block_1')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('frame-block_1')).toBeVisible();
  // Ctrl+G groups the selection too; the 5×5's old group, left empty, goes
  await page.getByTestId('node-input').click();
  await page.getByTestId('node-conv5x5').click({ modifiers: ['Control'] });
  await page.keyboard.press('Control+g');
  await expect(page.getByTestId('frame-block_2')).toBeVisible();
  await expect(page.getByTestId('frame-single')).toHaveCount(0);
  await expect(page.getByTestId('total-params')).toContainText('176,320');
});

test('an inverted residual with its settings (SE, hardSwish) goes in as MobileNet v3 builds it', async ({ page }) => {
  await openBlank(page);
  await dragToCanvas(page, 'input', 300, 40);
  await page.getByTestId('node-input').click();
  await page.getByTestId('field-shape').fill('14, 14, 112');
  await page.getByTestId('block-settings-inverted-residual').locator('summary').click();
  await page.getByTestId('block-inverted-residual-se').check();
  await page.getByTestId('block-inverted-residual-activation').selectOption('hardSwish');
  await page.getByTestId('palette-block-inverted-residual').click();
  await expect(page.locator('.ok-badge')).toBeVisible();
  // mobilenet_v3_large features[12]: 1×1 112→672, dw 3×3, SE 672→168→672, 1×1 672→112, three batch norms
  await expect(page.getByTestId('total-params')).toContainText('Total params: 389,032 ');
  await expect(page.locator('.react-flow__node-layer')).toHaveCount(14);
  await shot(page, 'mbconv-settings');
});
