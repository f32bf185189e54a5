import { expect, test } from '@playwright/test';
import { shot } from './helpers.ts';

// Numbers worked by hand: one 5×5 conv 64 → 64 has 25·64·64 + 64 = 102,464 params, two 3×3s 2·(9·64·64 + 64) = 73,856.

test('the 5×5 preset opens with both ways side by side and its advice', async ({ page }) => {
  await page.goto('/?preset=conv-5x5-vs-3x3');
  await expect(page.getByTestId('total-params')).toHaveText('Total params: 176,320 (705.28 kB)');
  await expect(page.getByTestId('pin-baseline')).toBeVisible(); // nothing pinned: the twin is on the canvas
  await expect(page.getByTestId('advice-mark-conv5x5')).toBeVisible();
  await shot(page, 'advice-5x5-table');

  await page.getByTestId('tab-advice').click();
  const item = page.getByTestId('advice-factorize-kernel-conv5x5');
  await expect(item.getByTestId('advice-saving')).toHaveText('−28,608 params (−28% of conv5x5, −16% of the network), −89,915,392 MACs, same receptive field');
  await expect(item).toContainText('Two stacked 3×3 convolutions see the same 5×5 window');
  await shot(page, 'advice-5x5-advice');
});

test('preview ghosts the rewrite, Apply makes it in one undo step', async ({ page }) => {
  await page.goto('/?preset=conv-5x5-vs-3x3');
  await page.getByTestId('tab-advice').click();
  const item = page.getByTestId('advice-factorize-kernel-conv5x5');
  await item.getByTestId('advice-preview').click();
  await expect(page.getByTestId('ghost-conv5x5_3x3_1')).toBeVisible();
  await expect(page.getByTestId('ghost-conv5x5')).toContainText('conv 3×3');
  await expect(page.getByTestId('ghost-conv5x5')).toContainText('36,928 params · RF 5×5');
  await expect(page.getByTestId('node-conv5x5')).toHaveClass(/previewed/);
  await shot(page, 'advice-preview');

  await item.getByTestId('advice-apply').click();
  // 176,320 − 28,608
  await expect(page.getByTestId('total-params')).toHaveText('Total params: 147,712 (590.85 kB)');
  await expect(page.getByTestId('node-conv5x5_3x3_1')).toBeVisible();
  await expect(page.getByTestId('node-conv5x5')).toContainText('conv 3×3');
  await expect(page.locator('.ghost-node')).toHaveCount(0);
  await expect(page.getByTestId('advice-factorize-kernel-conv5x5')).toHaveCount(0);
  await shot(page, 'advice-applied');

  await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('total-params')).toHaveText('Total params: 176,320 (705.28 kB)');
  await expect(page.getByTestId('node-conv5x5_3x3_1')).toHaveCount(0);
  await expect(page.getByTestId('advice-factorize-kernel-conv5x5')).toBeVisible();
});

test('pin as baseline, edit, compare per layer and in the totals, see a change while typing, unpin', async ({ page }) => {
  await page.goto('/?preset=vgg16');
  await expect(page.getByTestId('total-params')).toHaveText('Total params: 138,357,544 (553.43 MB)');
  await page.getByTestId('pin-baseline').click();
  await expect(page.getByTestId('baseline-label')).toHaveText('Δ against pinned design');
  await page.getByTestId('row-block1_conv1').click();
  const filters = page.getByTestId('field-filters');
  await filters.fill('32');
  // conv1: 3·3·3·32 + 32 = 896 (was 1,792); conv2: 3·3·32·64 + 64 = 18,496 (was 36,928): −896 − 18,432
  await expect(page.getByTestId('field-change')).toContainText('This change: −19,328 params');
  await shot(page, 'advice-typing');
  await filters.blur();
  await expect(page.getByTestId('field-change')).toHaveCount(0);
  await expect(page.getByTestId('delta-block1_conv1')).toContainText('−896 params');
  await expect(page.getByTestId('delta-block1_conv2')).toContainText('−18,432 params');
  await expect(page.getByTestId('delta-block1_pool')).toHaveText(''); // still 112×112×64: unchanged
  await expect(page.getByTestId('change-total-params')).toHaveText('−19,328');
  await expect(page.getByTestId('change-memory-forward-backward')).toContainText('−'); // fewer activations to keep
  await expect(page.getByTestId('node-delta-block1_conv2')).toHaveText('−18,432 params');
  // a 5×5 kernel widens every later receptive field by 2 pixels
  const kernel = page.getByTestId('field-kernelSize');
  await kernel.fill('5');
  await expect(page.getByTestId('field-change')).toContainText('RF 3×3 → 5×5');
  await kernel.press('Enter'); // Enter leaves the field: the change it made is now in the comparison
  await expect(kernel).not.toBeFocused();
  await expect(page.getByTestId('delta-block1_conv1')).toContainText('RF 3×3 → 5×5');
  await expect(page.getByTestId('delta-block1_conv2')).toContainText('RF 5×5 → 7×7');
  await shot(page, 'advice-compare');
  await page.getByTestId('unpin-baseline').click();
  await expect(page.getByTestId('delta-block1_conv1')).toHaveCount(0);
  await expect(page.getByTestId('change-total-params')).toHaveCount(0);
  await expect(page.getByTestId('pin-baseline')).toBeVisible();
});

test('batch size sets the memory lines and the output-size column; a bad one is refused', async ({ page }) => {
  await page.goto('/?preset=resnet18');
  // torchinfo: ResNet-18 forward/backward pass 39,747,392 bytes at batch 1
  await expect(page.getByTestId('memory-forward-backward')).toHaveText('Forward/backward: 39.75 MB');
  await expect(page.getByTestId('bytes-conv1')).toHaveText('3.21 MB'); // 4 · 112·112·64
  const batch = page.getByTestId('batch-size');
  await batch.fill('4');
  await expect(page.getByTestId('memory-forward-backward')).toHaveText('Forward/backward: 158.99 MB');
  await expect(page.getByTestId('memory-input')).toHaveText('Input: 2.41 MB'); // 4 · 4 · 224·224·3
  await expect(page.getByTestId('bytes-conv1')).toHaveText('12.85 MB');
  await batch.fill('0');
  await expect(batch).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert').filter({ hasText: 'a whole number from 1; figures for 4' })).toBeVisible();
  await expect(page.getByTestId('memory-forward-backward')).toHaveText('Forward/backward: 158.99 MB');
  await shot(page, 'advice-memory');
});

test('advice found by the worker previews and applies: VGG-16 gets a global pool head', async ({ page }) => {
  await page.goto('/?preset=vgg16');
  await page.getByTestId('tab-advice').click();
  const item = page.getByTestId('advice-global-pool-head-flatten');
  // fc1 takes 512 averaged channels instead of 7·7·512 = 25,088 values: (512 − 25,088) · 4096 weights
  await expect(item.getByTestId('advice-saving')).toHaveText('−100,663,296 params (−98% of fc1, −73% of the network), −100,663,296 MACs');
  await expect(page.getByTestId('advice-mark-flatten')).toBeVisible();
  // the largest saving is listed first (the JSON keeps the contract's rule order)
  await expect(page.getByTestId('advice-list').locator('li').first()).toHaveAttribute('data-testid', 'advice-global-pool-head-flatten');
  await item.getByTestId('advice-preview').click();
  await expect(page.getByTestId('ghost-flatten')).toContainText('global avg pool');
  await expect(page.getByTestId('ghost-fc1')).toContainText('2,101,248 params'); // 512·4096 + 4096
  await shot(page, 'advice-vgg-preview');
  await item.getByTestId('advice-apply').click();
  await expect(page.getByTestId('total-params')).toHaveText('Total params: 37,694,248 (150.78 MB)'); // 138,357,544 − 100,663,296
  await page.getByRole('tab', { name: 'Layers' }).click();
  await expect(page.getByTestId('row-flatten')).toContainText('globalAvgPool');
});

test('the inception teaching preset opens on its advice: the naive 5×5 and the missing 1×1 reductions', async ({ page }) => {
  await page.goto('/?preset=inception-module');
  await expect(page.getByTestId('tab-advice')).toHaveAttribute('aria-selected', 'true');
  // naive 5×5 on 192 channels, 32 filters: 25·192·32 + 32 = 153,632 → two 3×3: 9·192·32 + 32 + 9·32·32 + 32 = 64,576
  await expect(page.getByTestId('advice-factorize-kernel-naive.5x5').getByTestId('advice-saving'))
    .toContainText(`−${(153_632 - 64_576).toLocaleString('en-US')} params`);
  await expect(page.getByTestId('advice-bottleneck-1x1-naive.3x3')).toBeVisible();
  await expect(page.getByTestId('pin-baseline')).toBeVisible();
  await shot(page, 'advice-inception');
});

for (const viewport of [{ width: 1280, height: 720 }, { width: 1400, height: 900 }]) {
  test(`Xception's branch order: Apply lowers the inference peak, the params stay, one undo step (${viewport.width}×${viewport.height})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto('/?preset=xception');
    const peak = page.getByTestId('memory-peak');
    // Keras lists block 2's main path before its shortcut: block 1's 147×147×64 output waits through the main path
    await expect(peak).toContainText('Inference peak: 27.66 MB');
    await page.getByTestId('tab-advice').click();
    const item = page.getByTestId('advice-branch-order-add');
    await expect(item.getByTestId('advice-saving')).toHaveText('peak memory of inference 27.66 MB → 24.93 MB (−10%) at batch 1, same params and MACs');
    await expect(item).toContainText('Branch order');
    // a reordering moves nothing on the canvas: Apply, no preview
    await expect(item.getByTestId('advice-preview')).toHaveCount(0);
    await item.scrollIntoViewIfNeeded();
    await shot(page, `advice-branch-order-${viewport.width}`);
    await item.getByTestId('advice-apply').click();
    // the shortcut's 74×74×128 output waits instead: 27,659,520 − 4·(147·147·64 − 74·74·128) = 24,931,328
    await expect(peak).toContainText('Inference peak: 24.93 MB');
    await expect(page.getByTestId('total-params')).toHaveText('Total params: 22,910,480 (91.64 MB)');
    await expect(page.getByTestId('advice-branch-order-add')).toHaveCount(0);
    await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
    await page.keyboard.press('Control+z');
    await expect(peak).toContainText('Inference peak: 27.66 MB');
    await expect(page.getByTestId('advice-branch-order-add')).toBeVisible();
  });
}
