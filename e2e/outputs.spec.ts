import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { featuresAndLogits } from '../test/fixtures/keras-ends.ts';
import { shot } from './helpers.ts';

/**
 * The model's outputs in the editor (docs/design-format.md#outputs): a person opens a Keras model whose outputs are
 * `[features, logits]` (logits computed from features, apple/coremltools#24), sees both marked on the canvas in that
 * order, moves one, unmarks one and undoes each step, and saves a design that keeps the order.
 */

const model = { format: 'layers-model', generatedBy: 'keras 2.11.0', modelTopology: featuresAndLogits().topology };

async function openModel(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('total-params')).toBeVisible();
  await page.getByTestId('open-input').setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(model)) });
  await expect(page.getByTestId('node-logits')).toBeVisible();
}

for (const viewport of [{ width: 1280, height: 720 }, { width: 1400, height: 900 }]) {
  test(`outputs are marked, reordered, unmarked and saved in order at ${viewport.width}×${viewport.height}`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await openModel(page);
    const mark = (id: string) => page.getByTestId(`output-mark-${id}`);
    await expect(mark('features')).toHaveText('out 1');
    await expect(mark('logits')).toHaveText('out 2');
    await expect(mark('conv')).toHaveCount(0);

    // the inspector says where the selected layer stands; a layer that feeds nothing cannot be unmarked
    await page.getByTestId('node-logits').click();
    await expect(page.getByTestId('output-place')).toHaveText('2 of 2');
    await expect(page.getByTestId('output-toggle')).toBeChecked();
    await expect(page.getByTestId('output-toggle')).toBeDisabled();
    await expect(page.getByTestId('output-later')).toBeDisabled();

    // move logits first: one step, undone by Ctrl+Z
    await page.getByTestId('output-earlier').click();
    await expect(mark('logits')).toHaveText('out 1');
    await expect(mark('features')).toHaveText('out 2');
    await expect(page.getByTestId('output-place')).toHaveText('1 of 2');
    await shot(page, `outputs-moved-${viewport.width}`);
    await page.keyboard.press('Control+z');
    await expect(mark('logits')).toHaveText('out 2');
    await expect(mark('features')).toHaveText('out 1');

    // unmark features (it feeds logits): logits is the one output; undo brings features back as output 1
    await page.getByTestId('node-features').click();
    await expect(page.getByTestId('output-place')).toHaveText('1 of 2');
    await page.getByTestId('output-toggle').uncheck();
    await expect(page.getByTestId('output-place')).toHaveText('not an output');
    await expect(mark('features')).toHaveCount(0);
    await expect(mark('logits')).toHaveText('out');
    await shot(page, `outputs-unmarked-${viewport.width}`);
    await page.keyboard.press('Control+z');
    await expect(mark('features')).toHaveText('out 1');

    // mark conv as a third output, then move it first; the saved file lists them in that order
    await page.getByTestId('node-conv').click();
    await page.getByTestId('output-toggle').check();
    await expect(mark('conv')).toHaveText('out 3');
    await page.getByTestId('output-earlier').click();
    await page.getByTestId('output-earlier').click();
    await expect(page.getByTestId('output-place')).toHaveText('1 of 3');
    await expect(page.getByTestId('output-earlier')).toBeDisabled();
    await expect(mark('features')).toHaveText('out 2');
    await expect(mark('logits')).toHaveText('out 3');
    await shot(page, `outputs-three-${viewport.width}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-button').click()]);
    const saved = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { outputs?: string[] };
    expect(saved.outputs).toEqual(['conv', 'features', 'logits']);
  });
}
