/**
 * `npm run bench -- browser-threads`: ResNet-50's forward pass (the Keras preset, batch 1, outputs read back) in
 * headless Chromium on tfjs's threaded SIMD wasm build against the single-threaded one (docs/run-threads.md). Two
 * pages of one browser, one of each build (bench/browser/forward.ts with and without `?threads=single`), timed
 * alternately so that both see the same machine; the ratio is single / threaded per pair, its median reported.
 */

import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS, checkChromium, startPreview, waitForServer } from './chromium.ts';
import { summarize, type BenchResult } from './harness.ts';

const PORT = 4182;
const BASE = `http://localhost:${PORT}`;
const CONFIG = 'bench/browser/vite.config.ts';
const PAIRS = 10;
const WARMUP = 2;
/** the aim on a 2-core machine */
const AIM = 1.6;

async function open(browser: Browser, threads: 'auto' | 'single'): Promise<{ page: Page; detail: string }> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => process.stderr.write(`  page error (${threads}): ${e.message}\n`));
  await page.goto(`${BASE}/forward.html${threads === 'single' ? '?threads=single' : ''}`);
  await page.waitForFunction('!!window.__bench', undefined, { timeout: 60_000 });
  const started = (await page.evaluate(`window.__bench.use("wasm")`)) as { ok: boolean; detail: string };
  if (!started.ok) throw new Error(`wasm (${threads}) did not start: ${started.detail}`);
  return { page, detail: started.detail };
}

export async function benchBrowserThreads(): Promise<BenchResult[]> {
  checkChromium();
  execFileSync('npx', ['vite', 'build', '--config', CONFIG, '--logLevel', 'error'], { stdio: 'inherit' });
  const preview = startPreview(PORT, ['--config', CONFIG]);
  let browser: Browser | undefined;
  try {
    await waitForServer(`${BASE}/forward.html`, 30_000);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const threaded = await open(browser, 'auto');
    const single = await open(browser, 'single');
    process.stderr.write(`  threaded page: ${threaded.detail}\n  single page: ${single.detail}\n`);
    const pass = async (p: Page) => (await p.evaluate('window.__bench.resnetPass()')) as number;
    for (let i = 0; i < WARMUP; i++) {
      await pass(threaded.page);
      await pass(single.page);
    }
    const a: number[] = [];
    const b: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      // alternate which goes first, so neither always runs on a machine the other just warmed
      let t: number;
      let s: number;
      if (i % 2) {
        t = await pass(threaded.page);
        s = await pass(single.page);
      } else {
        s = await pass(single.page);
        t = await pass(threaded.page);
      }
      a.push(t);
      b.push(s);
      ratios.push(s / t);
    }
    const ratio = summarize('ResNet-50 forward: single-threaded / threaded wasm (speed-up)', ratios, 'ratio', undefined,
      `${PAIRS} alternating pairs after ${WARMUP} warm-up runs of each, two pages of one Chromium`);
    ratio.target = `≥ ${AIM}`;
    ratio.met = ratio.median >= AIM;
    return [
      summarize('ResNet-50 forward, wasm threaded SIMD (Chromium, batch 1)', a, 'ms', undefined, threaded.detail),
      summarize('ResNet-50 forward, wasm single-threaded SIMD (Chromium, batch 1)', b, 'ms', undefined, single.detail),
      ratio,
    ];
  } finally {
    await browser?.close();
    preview.stop();
  }
}
