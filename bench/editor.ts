/**
 * Editor benchmarks in headless Chromium (Playwright): bundle size, time to an interactive editor, time to a
 * drawn canvas and frame times while dragging a node and panning, for DenseNet-121 and generated designs of
 * 2,000 and 5,000 nodes. Builds the app and serves it with `vite preview` on a free port.
 */

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import { GENERATORS } from './designs.ts';
import { summarize, type BenchResult } from './harness.ts';

const PORT = 4179;
const BASE = `http://localhost:${PORT}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

async function waitForServer(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`preview server did not start at ${url}`);
}

function bundleSizes(): BenchResult[] {
  const dir = 'dist/assets';
  const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
  const total = files.reduce((s, f) => s + statSync(join(dir, f)).size, 0);
  const html = readFileSync('dist/index.html', 'utf8');
  // The entry chunk (what navigation loads before anything is lazy-loaded).
  const entry = [...html.matchAll(/src="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]);
  const entryBytes = entry.reduce((s, f) => s + statSync(join(dir, f)).size, 0);
  const entryGzip = entry.reduce((s, f) => s + gzipSync(readFileSync(join(dir, f))).length, 0);
  return [
    summarize('bundle: all JavaScript chunks', [total / 1024], 'KB', undefined, `${files.length} chunks; tfjs chunks load only for a run or an export`),
    summarize('bundle: entry chunk loaded at navigation', [entryBytes / 1024], 'KB', undefined, `${(entryGzip / 1024).toFixed(0)} KB gzipped`),
  ];
}

/** Records requestAnimationFrame timestamps while `action` runs; returns frame intervals in ms. */
async function frameTimes(page: Page, action: () => Promise<void>): Promise<number[]> {
  // Scripts go in as strings: tsx wraps functions in a `__name` helper the page does not have.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    const loop = (t) => { window.__frames.push(t); if (window.__recording) requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
  })()`);
  await action();
  const frames = (await page.evaluate('(() => { window.__recording = false; return window.__frames; })()')) as number[];
  return frames.slice(1).map((t, i) => t - frames[i]);
}

async function openAndMeasure(page: Page, url: string): Promise<number> {
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector('.react-flow__node', { timeout: 60_000 });
  // One more frame so that the nodes are painted, not just in the DOM.
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  return Date.now() - t0;
}

async function dragNode(page: Page): Promise<number[]> {
  const box = await page.locator('.react-flow__pane').boundingBox();
  if (!box) throw new Error('no canvas');
  const nodes = page.locator('.react-flow__node');
  const count = await nodes.count();
  // A node near the middle of the visible canvas.
  let target = nodes.first();
  for (let i = 0; i < Math.min(count, 60); i++) {
    const b = await nodes.nth(i).boundingBox();
    if (b && b.y > box.y + 40 && b.y < box.y + box.height - 80 && b.x > box.x + 40 && b.x < box.x + box.width - 200) {
      target = nodes.nth(i);
      break;
    }
  }
  const b = (await target.boundingBox())!;
  const x = b.x + b.width / 2;
  const y = b.y + 12;
  return frameTimes(page, async () => {
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 60; i++) await page.mouse.move(x + i * 3, y + Math.sin(i / 6) * 30);
    await page.mouse.up();
  });
}

async function pan(page: Page): Promise<number[]> {
  const box = (await page.locator('.react-flow__pane').boundingBox())!;
  // Start on empty canvas: the top-left corner of the pane, just inside it.
  const x = box.x + 15;
  const y = box.y + box.height - 15;
  return frameTimes(page, async () => {
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 60; i++) await page.mouse.move(x + i * 4, y - i * 3);
    await page.mouse.up();
  });
}

export async function benchEditor(): Promise<BenchResult[]> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
  const results = bundleSizes();
  const server: ChildProcess = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    await waitForServer(BASE, 30_000);
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    const designs: Record<string, string> = {
      'generated 2,000': JSON.stringify(GENERATORS.inception(2000)),
      'generated 5,000': JSON.stringify(GENERATORS.inception(5000)),
    };
    // A predicate, not a glob: the page's own address (`/?design=/__bench/…`) must not match.
    await page.route((url) => url.pathname.startsWith('/__bench/'), (route) => {
      const key = decodeURIComponent(new URL(route.request().url()).pathname.slice('/__bench/'.length).replace(/\.json$/, ''));
      return route.fulfill({ contentType: 'application/json', body: designs[key] });
    });

    // Time to an interactive editor (empty design: no preset to draw).
    const interactive: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      await page.goto(`${BASE}/?preset=conv-5x5-vs-3x3`);
      await page.waitForSelector('.react-flow__node');
      interactive.push(Date.now() - t0);
    }
    results.push(summarize('navigation to an interactive editor (small preset)', interactive, 'ms'));

    const cases: [string, string, number, number | undefined][] = [
      ['DenseNet-121', `${BASE}/?preset=densenet121`, 2000, 20],
      ['generated 2,000', `${BASE}/?design=/__bench/${encodeURIComponent('generated 2,000')}.json`, 10_000, undefined],
      ['generated 5,000', `${BASE}/?design=/__bench/${encodeURIComponent('generated 5,000')}.json`, 10_000, undefined],
    ];
    for (const [name, url, openTarget, dragTarget] of cases) {
      const opens: number[] = [];
      for (let i = 0; i < 3; i++) opens.push(await openAndMeasure(page, url));
      results.push(summarize(`${name}: open to a drawn canvas`, opens, 'ms', openTarget));
      const drag = await dragNode(page);
      results.push(summarize(`${name}: frame time while dragging a node`, drag, 'ms', dragTarget, `p95 ${p95(drag).toFixed(1)} ms over ${drag.length} frames`));
      const pans = await pan(page);
      results.push(summarize(`${name}: frame time while panning`, pans, 'ms', name === 'generated 5,000' ? 50 : undefined, `p95 ${p95(pans).toFixed(1)} ms over ${pans.length} frames`));
    }
    await context.close();
  } finally {
    await browser.close();
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch { /* already gone */ }
  }
  return results;
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? NaN;
}
