import { expect, test } from '@playwright/test';
import { shot } from './helpers.ts';

test('runs ResNet-18 on a sample image in a worker: output, feature maps, receptive-field box; the canvas pans meanwhile', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/?preset=resnet18');
  await expect(page.getByTestId('total-params')).toContainText('11,699,112');
  await page.getByRole('tab', { name: 'Run' }).click();
  const panel = page.getByTestId('run-panel');
  await panel.getByRole('button', { name: 'Run forward pass' }).click();
  await expect(panel.getByRole('status')).toBeVisible();

  // The canvas still pans while the worker compiles and runs.
  const viewport = page.locator('.react-flow__viewport');
  const before = await viewport.getAttribute('style');
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  // Empty canvas near the top-right corner (the controls sit bottom-left, the minimap bottom-right).
  await page.mouse.move(pane.x + pane.width - 60, pane.y + 20);
  await page.mouse.down();
  await page.mouse.move(pane.x + pane.width - 180, pane.y + 90, { steps: 8 });
  await page.mouse.up();
  expect(await viewport.getAttribute('style')).not.toBe(before);

  await expect(panel.getByTestId('run-output-shape')).toHaveText('1000', { timeout: 60_000 });
  await expect(panel.getByTestId('run-meta')).toContainText('wasm');
  await expect(panel.getByTestId('run-meta')).toContainText('11,699,112 params');
  await expect(panel.getByLabel('Top 5 (random weights)')).toContainText('random weights');

  // Feature maps of the selected layer: maxpool is 56×56×64, each unit sees 11×11 pixels, stride 4, padding 5.
  await page.getByRole('tab', { name: 'Layers' }).click();
  await page.getByTestId('row-maxpool').click();
  await page.getByRole('tab', { name: 'Run' }).click();
  await expect(panel.getByTestId('feature-thumb')).toHaveCount(32);
  await expect(panel).toContainText('first 32 of 64 channels');
  // a click opens the map large; a click on a unit there shows the box of input pixels it sees
  await panel.getByTestId('feature-thumb').first().click();
  const view = page.getByTestId('feature-view');
  await expect(view).toBeVisible();
  const large = view.getByTestId('feature-large');
  const t = (await large.boundingBox())!;
  expect(t.width).toBeGreaterThan(400);
  // The middle of the 56×56 map: unit (28, 28) sees input rows and columns 28·4 − 5 = 107 … 117.
  await large.click({ position: { x: t.width * (28.5 / 56), y: t.height * (28.5 / 56) } });
  const box = view.getByTestId('rf-box');
  await expect(box).toBeVisible();
  await expect(box).toHaveAttribute('title', 'rows 107–117, columns 107–117');
  // A corner unit's box is clipped at the border: unit (0, 0) sees rows −5 … 5, shown as 0 … 5.
  await large.click({ position: { x: 1, y: 1 } });
  await expect(box).toHaveAttribute('title', 'rows 0–5, columns 0–5');
  await page.keyboard.press('Escape');
  await expect(view).toHaveCount(0);
  await expect(panel.getByTestId('rf-box')).toHaveAttribute('title', 'rows 0–5, columns 0–5');
  await shot(page, 'run-panel');
});

test('a text file offered as the image gets a clear message', async ({ page }) => {
  await page.goto('/?preset=conv-5x5-vs-3x3');
  await page.getByRole('tab', { name: 'Run' }).click();
  const panel = page.getByTestId('run-panel');
  await panel.getByTestId('run-image-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') });
  await panel.getByRole('button', { name: 'Run forward pass' }).click();
  await expect(panel.getByRole('alert')).toHaveText('"notes.txt" is not an image (text/plain); use a PNG or JPEG');
  // A file claiming to be a PNG that is not one is caught by the decoder.
  await panel.getByTestId('run-image-input').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a png') });
  await panel.getByRole('button', { name: 'Run forward pass' }).click();
  await expect(panel.getByRole('alert')).toHaveText('"fake.png" could not be read as an image; use a PNG or JPEG');
  await expect(page.getByTestId('total-params')).toBeVisible();
});

test('the backend chooser offers the GPU backends this browser has, and names the one that ran', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('/?preset=conv-5x5-vs-3x3');
  await page.getByRole('tab', { name: 'Run' }).click();
  const panel = page.getByTestId('run-panel');
  const backend = panel.getByLabel('Backend');
  // offered where the browser gives WebGPU an adapter (headless Chromium here has navigator.gpu but no adapter)
  const hasWebgpu = await page.evaluate('navigator.gpu ? navigator.gpu.requestAdapter().then((a) => !!a, () => false) : false');
  const webgpu = backend.locator('option[value="webgpu"]');
  if (hasWebgpu) await expect(webgpu).toBeEnabled();
  else {
    await expect(webgpu).toBeDisabled();
    await expect(webgpu).toHaveText('webgpu (not offered here)');
  }
  // cpu always runs; the meta line names it
  await backend.selectOption('cpu');
  await panel.getByRole('button', { name: 'Run forward pass' }).click();
  await expect(panel.getByTestId('run-meta')).toContainText('cpu', { timeout: 45_000 });
  await expect(panel.getByTestId('run-fallback')).toHaveCount(0);
});
