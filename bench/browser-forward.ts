/**
 * Compile and forward pass in headless Chromium, per tfjs backend (wasm, webgl; webgpu where the browser offers
 * it): ResNet-50 compiled from the Keras preset vs the same network written by hand with tf.layers
 * (bench/resnet50-hand.ts), alternating in one page (ratio target ≤ 1.05), and DenseNet-121's compile time.
 * Bundles bench/browser/ into dist-bench/, serves it with `vite preview` on port 4181 and reads the results
 * from the page. webgl here is software (SwiftShader, about 3 s a pass): it gets fewer pairs.
 */

import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS, checkChromium, startPreview, waitForServer } from './chromium.ts';
import type { BenchResult } from './harness.ts';

const PORT = 4181;
const BASE = `http://localhost:${PORT}`;
const CONFIG = 'bench/browser/vite.config.ts';

/** pairs and warm-up runs of each model per backend; compile runs of DenseNet-121 */
const PLAN: { backend: 'wasm' | 'webgl' | 'webgpu'; pairs: number; warmup: number; compileRuns: number }[] = [
  { backend: 'wasm', pairs: 8, warmup: 2, compileRuns: 5 },
  { backend: 'webgl', pairs: 6, warmup: 2, compileRuns: 3 },
  { backend: 'webgpu', pairs: 4, warmup: 1, compileRuns: 3 },
];

const missing = (name: string, note: string): BenchResult => ({ name, unit: 'ms', runs: [], median: NaN, spread: [NaN, NaN], note });

async function onBackend(browser: Browser, plan: (typeof PLAN)[number]): Promise<BenchResult[]> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => process.stderr.write(`  page error: ${e.message}\n`));
  try {
    await page.goto(`${BASE}/forward.html`);
    await page.waitForFunction('!!window.__bench', undefined, { timeout: 60_000 });
    // Scripts go in as strings: tsx wraps functions in a `__name` helper the page does not have.
    const b = JSON.stringify(plan.backend);
    const started = (await page.evaluate(`window.__bench.use(${b})`)) as { ok: boolean; detail: string };
    if (!started.ok) return [missing(`ResNet-50 forward (${plan.backend})`, started.detail)];
    process.stderr.write(`  ${plan.backend}: ${started.detail}\n`);
    const results = (await page.evaluate(`window.__bench.forward(${b}, ${plan.pairs}, ${plan.warmup})`)) as BenchResult[];
    results.push((await page.evaluate(`window.__bench.compileDenseNet(${b}, ${plan.compileRuns})`)) as BenchResult);
    return results;
  } finally {
    await page.close();
  }
}

export async function benchBrowserForward(): Promise<BenchResult[]> {
  checkChromium();
  execFileSync('npx', ['vite', 'build', '--config', CONFIG, '--logLevel', 'error'], { stdio: 'inherit' });
  const preview = startPreview(PORT, ['--config', CONFIG]);
  let browser: Browser | undefined;
  try {
    await waitForServer(`${BASE}/forward.html`, 30_000);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const results: BenchResult[] = [];
    // A fresh page per backend: no tensors or compiled programs carried from one to the next.
    for (const plan of PLAN) results.push(...(await onBackend(browser, plan)));
    return results;
  } finally {
    await browser?.close();
    preview.stop();
  }
}
