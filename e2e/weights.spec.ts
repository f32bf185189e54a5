import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { shot } from './helpers.ts';

// Trained weights in the Run panel: a tfjs model.json + weights.bin exported by the command line with one seed
// gives, loaded into the panel, exactly what the panel computes with that seed; a model for another design is
// refused by name; and the same model.json opens as a design.

const PRESET = 'conv-5x5-vs-3x3';
const dir = mkdtempSync(join(tmpdir(), 'convas-e2e-weights-'));
const exportTfjs = (design: string, out: string, seed: number) => {
  execFileSync('node', ['bin/convas.js', 'export', design, '--to', 'tfjs', '--out', out, '--seed', String(seed)], { stdio: 'pipe' });
  return { model: join(out, 'model.json'), weights: join(out, 'weights.bin') };
};

/** The seed-7 model of the preset, and one of a variant whose conv5x5 is a 3×3 (another design). */
let seven: { model: string; weights: string };
let other: { model: string; weights: string };
/** A tiny classifier (softmax over 10 classes), so that top-5 lists show. */
let classifierFile: string;
let classifier7: { model: string; weights: string };

test.beforeAll(() => {
  seven = exportTfjs(`presets/${PRESET}.convas.json`, join(dir, 'seven'), 7);
  const variant = JSON.parse(readFileSync(`presets/${PRESET}.convas.json`, 'utf8'));
  variant.nodes.find((n: { id: string }) => n.id === 'conv5x5').params.kernelSize = 3;
  writeFileSync(join(dir, 'variant.convas.json'), JSON.stringify(variant));
  other = exportTfjs(join(dir, 'variant.convas.json'), join(dir, 'other'), 7);
  classifierFile = join(dir, 'tiny-classifier.convas.json');
  writeFileSync(classifierFile, JSON.stringify({
    format: 'convas.design', version: 1, name: 'Tiny classifier',
    nodes: [
      { id: 'input', kind: 'input', params: { shape: [32, 32, 3] } },
      { id: 'conv1', kind: 'conv2d', params: { filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' } },
      { id: 'gap', kind: 'globalAvgPool', params: {} },
      { id: 'fc', kind: 'dense', params: { units: 10, activation: 'softmax' } },
    ],
    edges: [{ id: 'e1', source: 'input', target: 'conv1' }, { id: 'e2', source: 'conv1', target: 'gap' }, { id: 'e3', source: 'gap', target: 'fc' }],
  }));
  classifier7 = exportTfjs(classifierFile, join(dir, 'classifier'), 7);
});

async function openRunTab(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: 'Run' }).click();
  return page.getByTestId('run-panel');
}

async function setSeed(panel: Locator, seed: number) {
  await panel.getByLabel('Seed').fill(String(seed));
  await expect(panel.getByTestId('weights-select').locator('option').first()).toHaveText(`random (seed ${seed})`);
}

/** Runs once and returns the shown values of every output (min · mean · max, and top-5 lines where there are). */
async function runAndRead(panel: Locator): Promise<string[]> {
  // The click clears the previous result at once, so the values read below are this run's.
  await panel.getByRole('button', { name: 'Run forward pass' }).click();
  await expect(panel.getByTestId('run-output-values').first().or(panel.getByRole('alert'))).toBeVisible({ timeout: 60_000 });
  await expect(panel.getByRole('alert')).toHaveCount(0);
  const values = await panel.getByTestId('run-output-values').allInnerTexts();
  const top5 = await panel.locator('.run-top5 li').allInnerTexts();
  return [...values, ...top5];
}

test('loaded weights give the seed-7 outputs exactly and are labelled as loaded; back to random gives the seed\'s again', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`/?preset=${PRESET}`);
  await expect(page.getByTestId('total-params')).toContainText('176,320');
  const panel = await openRunTab(page);
  await expect(panel.getByTestId('weights-select')).toHaveValue('random');

  await setSeed(panel, 7);
  const at7 = await runAndRead(panel);
  expect(at7).toHaveLength(2); // two outputs: conv5x5 and conv3x3_b, 56×56×64 each
  await expect(panel.getByTestId('run-weights')).toHaveText('random weights (seed 7)');

  await setSeed(panel, 2);
  const at2 = await runAndRead(panel);
  expect(at2).not.toEqual(at7);

  await panel.getByTestId('weights-input').setInputFiles([seven.model, seven.weights]);
  await expect(panel.getByTestId('weights-in-use')).toContainText('model.json + weights.bin (176,320 weights, 705.28 kB)');
  await expect(panel.getByTestId('weights-select')).toHaveValue('file');
  const loaded = await runAndRead(panel);
  expect(loaded).toEqual(at7);
  await expect(panel.getByTestId('run-weights')).toHaveText('weights from model.json');
  await expect(panel).not.toContainText('random weights');
  await shot(page, 'run-loaded-weights');

  // Back to random: the seed's weights again; the file stays one pick away.
  await panel.getByRole('button', { name: 'Back to random' }).click();
  await expect(panel.getByTestId('weights-select')).toHaveValue('random');
  await expect(panel.getByTestId('weights-in-use')).toHaveCount(0);
  expect(await runAndRead(panel)).toEqual(at2);
  await expect(panel.getByTestId('run-weights')).toHaveText('random weights (seed 2)');
  await panel.getByTestId('weights-select').selectOption('file');
  expect(await runAndRead(panel)).toEqual(at7);
});

test('a classifier\'s top-5 from loaded weights are real predictions: no random-weights mark', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await expect(page.getByTestId('total-params')).toBeVisible();
  await page.getByTestId('open-input').setInputFiles(classifierFile);
  await expect(page.getByTestId('design-title')).toHaveText('Tiny classifier');
  const panel = await openRunTab(page);
  await setSeed(panel, 7);
  const at7 = await runAndRead(panel);
  await expect(panel.getByLabel('Top 5 (random weights)')).toContainText('the classes mean nothing yet');
  expect(at7).toHaveLength(1 + 5);

  await setSeed(panel, 3);
  await panel.getByTestId('weights-input').setInputFiles([classifier7.model, classifier7.weights]);
  const loaded = await runAndRead(panel);
  expect(loaded).toEqual(at7);
  await expect(panel.getByLabel('Top 5 (loaded weights)')).toBeVisible();
  await expect(panel.getByLabel('Top 5 (random weights)')).toHaveCount(0);
  await expect(panel).not.toContainText('mean nothing');
});

test('a model for another design is refused naming the layer and the shapes; the panel still runs', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(`/?preset=${PRESET}`);
  const panel = await openRunTab(page);

  // model.json alone: its weights file is missing.
  await panel.getByTestId('weights-input').setInputFiles([other.model]);
  await expect(panel.getByRole('alert')).toHaveText(
    'Could not load the weights: model.json keeps its weights in weights.bin; pick that file too (missing: weights.bin)',
  );
  await expect(panel.getByTestId('weights-select')).toHaveValue('random');

  await panel.getByTestId('weights-input').setInputFiles([other.model, other.weights]);
  await expect(panel.getByTestId('weights-in-use')).toContainText('model.json + weights.bin');
  await panel.getByRole('button', { name: 'Run forward pass' }).click();
  await expect(panel.getByRole('alert')).toHaveText(
    "The weights in model.json do not fit this design: layer 'conv5x5': kernel is [3, 3, 64, 64] in model.json but [5, 5, 64, 64] in this design.",
    { timeout: 60_000 },
  );
  await expect(panel.getByTestId('run-output-values')).toHaveCount(0);

  // The panel keeps working: random weights run.
  await panel.getByRole('button', { name: 'Back to random' }).click();
  const values = await runAndRead(panel);
  expect(values).toHaveLength(2);
  await expect(panel.getByTestId('run-weights')).toHaveText('random weights (seed 1)');
});

test('the exported model.json opens through Open as a design with the preset\'s totals', async ({ page }) => {
  await page.goto(`/?preset=${PRESET}`);
  const totals = ['total-params', 'trainable-params', 'nontrainable-params', 'total-macs'];
  await expect(page.getByTestId('total-params')).toContainText('176,320');
  const before = await Promise.all(totals.map((t) => page.getByTestId(t).innerText()));
  await page.getByTestId('new-button').click();
  await expect(page.getByTestId('total-params')).toHaveText('Total params: 0 (0 B)');

  await page.getByTestId('open-input').setInputFiles(seven.model);
  await expect(page.getByTestId('total-params')).toHaveText(before[0]);
  expect(await Promise.all(totals.map((t) => page.getByTestId(t).innerText()))).toEqual(before);
  await expect(page.getByTestId('node-conv5x5')).toBeVisible();
  await expect(page.getByTestId('node-conv3x3_b')).toBeVisible();

  // A model with a layer Convas lacks gives the importer's message.
  const lstm = join(dir, 'lstm.json');
  writeFileSync(lstm, JSON.stringify({ class_name: 'Sequential', config: { layers: [{ class_name: 'LSTM', config: { name: 'rnn', batch_input_shape: [null, 4, 4, 1] } }] } }));
  await page.getByTestId('open-input').setInputFiles(lstm);
  await expect(page.getByText("layer 'rnn': LSTM is not a layer Convas knows")).toBeVisible();
  await expect(page.getByTestId('total-params')).toHaveText(before[0]);
});
