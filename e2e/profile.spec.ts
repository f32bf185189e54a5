import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { analyze, formatBytes, inferencePeak, parseDesignText } from '../src/engine/index.ts';
import { shot } from './helpers.ts';

/** The preset's analysis, read here from the file (not from the app), to know which layers must be timed. */
function presetAnalysis(name: string) {
  const r = parseDesignText(readFileSync(`presets/${name}.convas.json`, 'utf8'));
  if (!r.ok) throw new Error(r.error);
  return { design: r.design, analysis: analyze(r.design) };
}

/** "1,204 ms", "3.72 ms" → milliseconds */
const ms = (text: string) => Number(text.replace(/[ ,ms]/g, ''));

async function openRun(page: Page, preset: string) {
  await page.goto(`/?preset=${preset}`);
  await expect(page.getByTestId('total-params')).toBeVisible();
  await page.getByRole('tab', { name: 'Run' }).click();
  return page.getByTestId('run-panel');
}

for (const size of [{ width: 1280, height: 720 }, { width: 1400, height: 900 }]) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    test.use({ viewport: size });

    test('a run uses the threaded wasm build; Profile times every layer, sorted; the canvas paints by time', async ({ page }) => {
      test.setTimeout(150_000);
      const { analysis } = presetAnalysis('resnet18');
      const panel = await openRun(page, 'resnet18');
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      await panel.getByRole('button', { name: 'Run forward pass' }).click();
      await expect(panel.getByTestId('run-output-shape')).toHaveText('1000', { timeout: 60_000 });
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      // the page is isolated: the threaded build runs, one thread per logical core
      await expect(panel.getByTestId('wasm-threads')).toHaveText(cores > 1 ? `(${cores} threads, SIMD)` : /1 thread, SIMD/);

      await panel.getByTestId('profile-open').click();
      const view = panel.getByTestId('profile-view');
      await expect(view).toBeVisible();
      // opening the view starts a profile: the passes count up, then the table
      await expect(view.getByTestId('profile-progress')).toBeVisible();
      await expect(view.getByTestId('profile-table')).toBeVisible({ timeout: 90_000 });
      await expect(view.getByTestId('profile-meta').first()).toContainText(/^wasm \(\d+ threads?, SIMD\) on the processor/);
      await expect(view.getByTestId('profile-meta').first()).toContainText('5 timed passes after 2 warm-up, medians');
      await expect(view.getByTestId('profile-device')).toContainText('logical cores');

      // every layer with MACs has a row with a time above 0, and the rows are slowest first
      const rows = view.getByTestId('profile-row');
      const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-node')));
      for (const n of analysis.nodes.filter((x) => x.macs > 0)) expect(ids).toContain(n.id);
      const times = (await view.getByTestId('profile-ms').allTextContents()).map(ms);
      expect(times.every((t) => t > 0)).toBe(true);
      for (let i = 1; i < times.length; i++) expect(times[i]).toBeLessThanOrEqual(times[i - 1]);
      // the layers' times add up to the pass, which the view states
      await expect(view.getByTestId('profile-pass')).toContainText(/the layers add up to .* \((\d+\.\d)% of the pass\)/);
      const said = (await view.getByTestId('profile-pass').textContent())!;
      const [, pass, sum, share] = said.match(/Layer by layer: ([\d.,]+ ms) per pass; the layers add up to ([\d.,]+ ms) \((\d+\.\d)% of the pass\)/)!;
      // what the line says is its own arithmetic: the sum is the rows' times and the share is sum ÷ pass (how close the
      // share comes to 100% depends on the machine's load: a sum of medians is not the median of sums; measured in
      // npm run bench, not asserted here)
      const rowsSum = times.reduce((a, b) => a + b, 0);
      expect(Math.abs(ms(sum) - rowsSum)).toBeLessThanOrEqual(0.05 * times.length + 0.1);
      expect(Math.abs(Number(share) - (100 * ms(sum)) / ms(pass))).toBeLessThanOrEqual(0.1 + 100 * 0.1 / ms(pass));
      expect(Number(share)).toBeGreaterThan(0);
      await expect(view.getByTestId('profile-groups')).toBeVisible();
      await shot(page, `profile-${size.width}`);

      // paint by time: the Bars chooser shows time, the slowest layer's bar is full
      await view.getByTestId('profile-paint').click();
      await expect(page.getByTestId('stat-select')).toHaveValue('time');
      const slowest = ids[0]!;
      // a click on the row brings the layer into view on the canvas
      await rows.first().click();
      const bar = page.getByTestId(`node-${slowest}`).getByTestId('time-bar');
      await expect(bar).toBeVisible();
      await expect(bar).toHaveAttribute('title', /^Time: .* ms \(median, wasm/);
      const inner = await bar.locator('div').evaluate((d) => (d as HTMLElement).style.width);
      expect(inner).toBe('100%');
      await shot(page, `profile-painted-${size.width}`);

      // closing the view shows the outputs again; the times stay on the canvas
      await view.getByLabel('Close the profile').click();
      await expect(panel.getByTestId('profile-view')).toHaveCount(0);
      await expect(panel.getByTestId('run-output-shape')).toHaveText('1000');
      await expect(page.getByTestId('stat-select')).toHaveValue('time');
    });

    test('the totals panel gives the peak by liveness and the weights at three precisions; show selects the live tensors', async ({ page }) => {
      const { analysis } = presetAnalysis('resnet50');
      const peak = inferencePeak(analysis.nodes, 1);
      const at = analysis.nodes.find((n) => n.id === peak.peakNodeId)!;
      await page.goto('/?preset=resnet50');
      await expect(page.getByTestId('memory-peak')).toHaveText(`Inference peak: ${formatBytes(peak.inferencePeakBytes)} at ${at.name ?? at.id}`);
      await expect(page.getByTestId('memory-weights')).toHaveText(/^Weights: .* float32 · .* float16 · .* int8$/);
      await page.getByTestId('show-peak').click();
      // the live tensors are selected (some may be folded away or out of view on the canvas: the inspector counts them)
      await expect(page.locator('.inspector-title')).toHaveText(`${peak.liveAtPeak.length} layers selected`);
      await shot(page, `memory-peak-${size.width}`);
    });
  });
}

test('a page that is not cross-origin isolated falls back to one wasm thread and says so', async ({ page }) => {
  test.setTimeout(90_000);
  // the same app, served without the two headers: as a plain static host would
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  const panel = await openRun(page, 'conv-5x5-vs-3x3');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await panel.getByRole('button', { name: 'Run forward pass' }).click();
  await expect(panel.getByTestId('wasm-threads')).toContainText('1 thread, SIMD: this page is not cross-origin isolated', { timeout: 60_000 });
  await shot(page, 'run-not-isolated');
});
