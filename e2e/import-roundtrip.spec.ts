import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { analyze, formatInt } from '../src/engine/index.ts';
import { everyKind } from '../test/fixtures/every-kind.ts';
import { shot } from './helpers.ts';

/**
 * Whatever Convas writes, Convas reads back: a person opens a design with grouped convolutions, ceil-mode pools
 * and merges, exports it as tfjs from the Export menu, and opens the downloaded model.json in the same editor.
 */

const design = everyKind();
const totals = analyze(design).totals;

test('a tfjs export with grouped convs and ceil-mode pools opens back with the same totals and layers', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('total-params')).toBeVisible();
  await page.getByTestId('open-input').setInputFiles({ name: 'every-kind.convas.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)) });
  await expect(page.getByTestId('total-params')).toContainText(`Total params: ${formatInt(totals.params)}`);

  const dir = mkdtempSync(join(tmpdir(), 'convas-e2e-import-'));
  const saved: string[] = [];
  const both = new Promise<void>((resolve) => {
    page.on('download', (d) => {
      const path = join(dir, d.suggestedFilename());
      void d.saveAs(path).then(() => {
        saved.push(path);
        if (saved.length === 2) resolve();
      });
    });
  });
  await page.getByTestId('export-button').click();
  await page.getByTestId('export-tfjs').click();
  await both;
  const modelJson = saved.find((p) => p.endsWith('.model.json'))!;
  expect(modelJson).toBeTruthy();

  // Open the model.json itself (not the design file)
  await page.getByTestId('new-button').click();
  await expect(page.getByTestId('total-params')).toHaveText('Total params: 0 (0 B)');
  await page.getByTestId('open-input').setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: readFileSync(modelJson) });
  await expect(page.getByTestId('total-params')).toContainText(`Total params: ${formatInt(totals.params)}`);
  await expect(page.getByTestId('trainable-params')).toContainText(formatInt(totals.trainableParams));
  await expect(page.getByTestId('nontrainable-params')).toContainText(formatInt(totals.nonTrainableParams));
  await expect(page.getByTestId('total-macs')).toContainText(`MACs: ${formatInt(totals.macs)}`);
  // one row per node of the original design: the compiler's slices, helper pads and count scales folded back
  for (const n of design.nodes) await expect(page.getByTestId(`row-${n.id}`)).toBeVisible();
  await expect(page.locator('[data-testid^="row-"]')).toHaveCount(design.nodes.length);
  await page.getByTestId('row-grp').click();
  await expect(page.getByTestId('field-groups')).toHaveValue('2');
  await shot(page, 'import-roundtrip-grouped');
});
