import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { dragToCanvas, openBlank, selectedLayerId, shot, wire } from './helpers.ts';

/**
 * A separable conv (Keras SeparableConv2D), added and set up as a person does: found in the palette by typing,
 * wired by dragging, its fields typed in the inspector; its numbers read off the screen, its PyTorch export
 * downloaded from the Export menu, and its feature maps seen in the Run tab.
 *
 * The expected numbers come from the layer's definition in Keras (Chollet 2017): a 3×3 depthwise conv with
 * depth multiplier 2 on 16 channels (3·3·16·2 = 288 weights, no bias), a 1×1 conv from 32 to 32 channels
 * (16·2·32 = 1,024 weights) and 32 biases: 1,344 params; 'same' keeps 32×32.
 */
test('a separable conv from the palette: typed fields, its numbers on screen, PyTorch export, feature maps', async ({ page }) => {
  test.setTimeout(90_000);
  await openBlank(page);
  await dragToCanvas(page, 'input', 300, 40);
  await page.getByTestId('node-input').click();
  await page.getByTestId('field-shape').fill('32, 32, 16');
  await expect(page.getByTestId('inspector-output')).toHaveText('32×32×16');

  // nothing selected: the search adds the layer on its own, and a drag wires it to the input
  await page.getByTestId('canvas').click({ position: { x: 700, y: 500 } });
  await page.getByTestId('palette-search').fill('sep');
  await expect(page.locator('.palette-item.first-match')).toHaveText('Separable conv');
  // listed with the convolutions
  await expect(page.locator('.palette-section', { has: page.getByTestId('palette-separableConv2d') }).locator('h3')).toHaveText(/conv/i);
  await page.getByTestId('palette-search').press('Enter');
  const sep = await selectedLayerId(page);
  const node = page.getByTestId(`node-${sep}`);
  await expect(node).toBeVisible();
  await page.getByTestId('palette-search').fill('');
  await expect(page.locator('.edge-label')).toHaveCount(0);
  await expect(node).toContainText('? params'); // no input yet
  await wire(page, 'input', sep);
  await expect(page.locator('.edge-label')).toHaveCount(1);
  await expect(page.locator('.edge-label')).toHaveText('32×32×16');

  // the inspector: type the filters and the depth multiplier; padding 'same' keeps 32×32
  await node.click();
  await page.getByTestId('field-filters').fill('32');
  await page.getByTestId('field-depthMultiplier').fill('2');
  await page.getByTestId('field-padding').selectOption('same');
  await expect(page.getByTestId('inspector-output')).toHaveText('32×32×32');
  await expect(page.getByTestId('inspector-params')).toHaveText('1,344');
  const explain = page.getByTestId('explain');
  await expect(explain).toContainText('params = 3·3·16·2 + 16·2·32 + 32 = 1,344  (depthwise + pointwise + bias)');
  // MACs per output position: 16·2 depthwise channels × (9 taps + 32 pointwise outputs)
  await expect(explain).toContainText(`MACs = 32·32·16·2·(3·3 + 32) = ${(32 * 32 * 32 * 41).toLocaleString('en-US')}`);
  await expect(node).toContainText('sep 3×3 same ×2 · 32');
  await expect(node).toContainText('1,344 params');
  const row = page.getByTestId(`row-${sep}`);
  await expect(row).toContainText('separableConv2d');
  await expect(row).toContainText('32×32×32');
  await expect(row).toContainText('1,344');
  await expect(page.getByTestId('total-params')).toContainText('Total params: 1,344 (');

  // a layer below it shows its output shape on the wire
  await page.getByTestId('palette-search').fill('global avg');
  await page.getByTestId('palette-search').press('Enter');
  await expect(page.locator('.edge-label')).toHaveCount(2);
  await expect(page.locator('.edge-label').filter({ hasText: '32×32×32' })).toHaveCount(1);
  await page.getByTestId('palette-search').fill('');
  await expect(page.locator('.ok-badge')).toBeVisible();
  await node.click();
  await shot(page, 'separable-editor');

  // the PyTorch export, downloaded from the Export menu
  const dir = mkdtempSync(join(tmpdir(), 'convas-download-'));
  const download = page.waitForEvent('download');
  await page.getByTestId('export-button').click();
  await page.getByTestId('export-pytorch').click();
  const d = await download;
  const path = join(dir, d.suggestedFilename());
  await d.saveAs(path);
  const py = readFileSync(path, 'utf8');
  expect(py).toContain("nn.ModuleDict({'depthwise': nn.Conv2d(16, 32, kernel_size=(3, 3)");
  // the pointwise half: a 1×1 conv from the 32 depthwise channels to the 32 filters
  expect(py).toMatch(/'pointwise': nn\.Conv2d\(32, 32, kernel_size=\(1, 1\)/);

  // the Run tab: a forward pass, then the separable layer's feature maps (32 channels, 32×32)
  await page.getByRole('tab', { name: 'Run' }).click();
  const panel = page.getByTestId('run-panel');
  await panel.getByRole('button', { name: 'Run forward pass' }).click();
  await expect(panel.getByTestId('run-meta')).toContainText('1,344 params', { timeout: 60_000 });
  await expect(panel.getByTestId('run-output-shape')).toHaveText('32');
  await page.getByRole('tab', { name: 'Layers' }).click();
  await page.getByTestId(`row-${sep}`).click();
  await page.getByRole('tab', { name: 'Run' }).click();
  await expect(panel.getByTestId('feature-thumb')).toHaveCount(32);
  await expect(panel).toContainText(`${sep}: 32×32, 32 channels`);
  await shot(page, 'separable-run');
});
