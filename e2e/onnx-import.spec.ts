import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { shot } from './helpers.ts';

/**
 * Bringing a trained model in (issue 22, the editor's part), as a person does it: open an ONNX file exported by
 * PyTorch (e2e/fixtures/tiny-resnet.onnx, written by make_onnx_fixtures.py), see its layers, groups and numbers,
 * run it with its own weights, edit a layer and be told that layer lost its weights (undo brings them back), export
 * the PyTorch module with the weights and check in PyTorch that it computes what the original model computed; and
 * drop a model with an operator Convas has no kind for, and see the list while the open design stays.
 */

const FIXTURES = 'e2e/fixtures';
const PY = '/usr/bin/python3';
const pythonHas = (module: string) => spawnSync(PY, ['-c', `import ${module}`]).status === 0;
const tiny = () => readFileSync(join(FIXTURES, 'tiny-resnet.onnx'));

/** Picks an item of the Export menu and keeps the downloads under the names the browser suggests. */
async function exportAs(page: Page, id: string, files: number): Promise<{ name: string; path: string }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'convas-onnx-download-'));
  const downloads: Promise<{ name: string; path: string }>[] = [];
  const all = new Promise<void>((resolve) => {
    const on = (d: import('@playwright/test').Download) => {
      const path = join(dir, d.suggestedFilename());
      downloads.push(d.saveAs(path).then(() => ({ name: d.suggestedFilename(), path })));
      if (downloads.length === files) {
        page.off('download', on);
        resolve();
      }
    };
    page.on('download', on);
  });
  await page.getByTestId('export-button').click();
  await page.getByTestId(`export-${id}`).click();
  await all;
  return Promise.all(downloads);
}

/** Opens the tiny ResNet through Open…, as a file picked from disk. */
async function openTiny(page: Page) {
  await page.getByTestId('open-input').setInputFiles({ name: 'tiny-resnet.onnx', mimeType: 'application/octet-stream', buffer: tiny() });
  await expect(page.getByTestId('design-title')).toHaveText('tiny-resnet');
}

for (const viewport of [{ width: 1280, height: 720 }, { width: 1400, height: 900 }]) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('an ONNX model opens with its names, groups and numbers, runs with its own weights, and an edit drops one layer\'s', async ({ page }) => {
      await page.goto('/?preset=vgg16');
      await expect(page.getByTestId('total-params')).toBeVisible();
      await openTiny(page);
      await expect(page.getByTestId('notice')).toContainText('Opened tiny-resnet.onnx with its trained weights (2,650 numbers)');
      await expect(page.getByTestId('notice')).toContainText('not in the design file');
      // PyTorch counts 2,650 parameters once batch norm is folded into the convolutions (as the eval export does)
      await expect(page.getByTestId('total-params')).toContainText('Total params: 2,650 (');
      await expect(page.getByTestId('total-macs')).toContainText('MACs: 645,200');
      await expect(page.getByTestId('node-layer1.0.conv1')).toBeVisible();
      await expect(page.getByTestId('node-fc')).toBeVisible();
      // the residual blocks are the groups of the model's module paths
      await expect(page.getByTestId('frame-layer1.0')).toBeVisible();
      await expect(page.getByTestId('frame-layer1.1')).toBeVisible();
      await shot(page, `onnx-opened-${viewport.width}`);

      await page.getByRole('tab', { name: 'Run' }).click();
      const panel = page.getByTestId('run-panel');
      await expect(panel.getByTestId('trained-weights')).toContainText('Runs use the trained weights of tiny-resnet.onnx (2,650 numbers)');
      await panel.getByRole('button', { name: 'Run forward pass' }).click();
      await expect(panel.getByTestId('run-weights')).toHaveText('weights: tiny-resnet.onnx', { timeout: 30_000 });
      await shot(page, `onnx-run-${viewport.width}`);

      // an edit of the classifier's units: its weights no longer fit, the others' stay
      const units = page.getByTestId('field-units');
      // the canvas may still be fitting the laid-out design: click again until the inspector shows the layer
      await expect(async () => {
        await page.getByTestId('node-fc').click();
        await expect(units).toBeVisible({ timeout: 1000 });
      }).toPass();
      await units.fill('12');
      await units.press('Enter');
      await expect(page.getByTestId('notice')).toHaveText(/fc no longer fits its weights from tiny-resnet\.onnx .*seeded weights now\. Undo brings them back\./);
      await expect(panel.getByTestId('trained-weights')).toContainText('one edited layer runs with seeded weights');
      await shot(page, `onnx-edited-${viewport.width}`);
      await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+z');
      await expect(page.getByTestId('notice')).toContainText('fc has its weights from tiny-resnet.onnx again.');
      await expect(panel.getByTestId('trained-weights')).not.toContainText('edited layer');
    });
  });
}

test('the PyTorch module with the imported weights computes what the original model computed', async ({ page }) => {
  test.skip(!pythonHas('torch') && !process.env.CI, 'LOUD SKIP: python3-torch is missing (apt-get install -y python3-torch); .ci/run installs it');
  await page.goto('/?preset=vgg16');
  await expect(page.getByTestId('total-params')).toBeVisible();
  await openTiny(page);
  await page.getByTestId('export-button').click();
  await expect(page.getByTestId('export-pytorch-weights')).toContainText('weights from tiny-resnet.onnx');
  await page.keyboard.press('Escape');
  const files = await exportAs(page, 'pytorch-weights', 3);
  expect(files.map((f) => f.name).sort()).toEqual(['tiny_resnet.py', 'tiny_resnet.weights.bin', 'tiny_resnet.weights.json']);
  const manifest = JSON.parse(readFileSync(files.find((f) => f.name.endsWith('.json'))!.path, 'utf8'));
  expect(manifest.seed).toBeNull(); // not drawn from a seed: the model's own
  // PyTorch loads the module and its weights and runs the input make_onnx_fixtures.py gave the original model
  const expected = JSON.parse(readFileSync(join(FIXTURES, 'tiny-resnet.expected.json'), 'utf8')).output as number[];
  const dir = files[0].path.replace(/[^/]+$/, '');
  const script = join(mkdtempSync(join(tmpdir(), 'convas-onnx-check-')), 'check.py');
  writeFileSync(script, [
    'import json, sys, torch',
    `sys.path.insert(0, ${JSON.stringify(dir)})`,
    'import tiny_resnet as m',
    'model = m.load_convas_weights(m.Model().eval(), ' + JSON.stringify(join(dir, 'tiny_resnet.weights.json')) + ')',
    'x = torch.linspace(0, 1, 3 * 32 * 32).reshape(1, 3, 32, 32)',
    'with torch.no_grad():',
    '    y = model(x)',
    'print(json.dumps(y.reshape(-1).tolist()))',
  ].join('\n'));
  const r = spawnSync(PY, [script], { encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  const got = JSON.parse(r.stdout) as number[];
  expect(got).toHaveLength(expected.length);
  const scale = Math.max(...expected.map(Math.abs));
  for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThanOrEqual(1e-4 * scale);
});

test('a model with an operator Convas has no kind for is listed node by node, and the open design stays', async ({ page }) => {
  await page.goto('/?preset=vgg16');
  await expect(page.getByTestId('total-params')).toBeVisible();
  const before = await page.getByTestId('total-params').textContent();
  const bytes = [...readFileSync(join(FIXTURES, 'cumsum.onnx'))];
  const dt = await page.evaluateHandle((b) => {
    const d = new DataTransfer();
    d.items.add(new File([new Uint8Array(b)], 'cumsum.onnx', { type: 'application/octet-stream' }));
    return d;
  }, bytes);
  await page.getByTestId('canvas').dispatchEvent('drop', { dataTransfer: dt });
  const refusals = page.getByTestId('import-refusals');
  await expect(refusals).toContainText('cumsum.onnx was not opened: one node Convas cannot express (the design you had stays open).');
  await expect(page.getByTestId('import-refusal-list').locator('li')).toHaveText(['/CumSum (CumSum): Convas has no kind for this operator']);
  await expect(page.getByTestId('design-title')).toHaveText('VGG-16');
  await expect(page.getByTestId('total-params')).toHaveText(before!);
  await shot(page, 'onnx-refused');
  await refusals.getByRole('button', { name: 'Dismiss' }).click();
  await expect(refusals).toHaveCount(0);
});

test('Export → TensorFlow.js model keeps the imported weights, and opening that model.json with its .bin loads them again', async ({ page }) => {
  await page.goto('/?preset=vgg16');
  await expect(page.getByTestId('total-params')).toBeVisible();
  await openTiny(page);
  const files = await exportAs(page, 'tfjs', 2);
  expect(files.map((f) => f.name).sort()).toEqual(['tiny-resnet.model.json', 'tiny-resnet.weights.bin']);
  await page.goto('/?preset=vgg16');
  await expect(page.getByTestId('total-params')).toBeVisible();
  await page.getByTestId('open-input').setInputFiles(files.map((f) => f.path));
  await expect(page.getByTestId('notice')).toContainText('Opened tiny-resnet.model.json with its trained weights (2,650 numbers)', { timeout: 20_000 });
  await expect(page.getByTestId('total-params')).toContainText('Total params: 2,650 (');
  await page.getByRole('tab', { name: 'Run' }).click();
  const panel = page.getByTestId('run-panel');
  await panel.getByRole('button', { name: 'Run forward pass' }).click();
  await expect(panel.getByTestId('run-weights')).toHaveText('weights: tiny-resnet.model.json', { timeout: 30_000 });
  await shot(page, 'onnx-reopened-tfjs');
});
