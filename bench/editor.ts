/**
 * Editor benchmarks in headless Chromium (Playwright): bundle size, time to an interactive editor, time to a
 * drawn canvas and frame times while dragging a node and panning, for DenseNet-121 and generated designs of
 * 2,000 and 5,000 nodes; and, with DenseNet-121 open, a parameter edit in the inspector re-annotating the edges,
 * from the input event to the first painted frame that shows the new shapes (target: one frame, 16.7 ms).
 * Builds the app and serves it with `vite preview` on port 4179.
 */

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS, checkChromium, startPreview, waitForServer } from './chromium.ts';
import { GENERATORS } from './designs.ts';
import { quantile, summarize, type BenchResult } from './harness.ts';

const PORT = 4179;
const BASE = `http://localhost:${PORT}`;

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
  // each recording has its own generation, so a loop left from the previous one (it stops only on its next
  // frame) cannot push into this one's list
  await page.evaluate(`(() => {
    const gen = (window.__frameGen = (window.__frameGen || 0) + 1);
    const frames = (window.__frames = []);
    window.__recording = true;
    const loop = (t) => { if (gen !== window.__frameGen) return; frames.push(t); if (window.__recording) requestAnimationFrame(loop); };
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

/** Expands every group (a big network opens as its outline), when there is anything to expand. */
async function expandAll(page: Page): Promise<void> {
  const button = page.getByTestId('expand-all');
  if ((await button.count()) && (await button.isEnabled())) {
    await button.click();
    await page.evaluate('new Promise((r) => setTimeout(r, 400))');
  }
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
  checkChromium();
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
  const results = bundleSizes();
  const preview = startPreview(PORT);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
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
      // a network over 300 layers opens as its outline (groups collapsed): drag and pan over every layer
      await expandAll(page);
      const drag = await dragNode(page);
      results.push(summarize(`${name}: frame time while dragging a node`, drag, 'ms', dragTarget, `p95 ${p95(drag).toFixed(1)} ms over ${drag.length} frames`));
      const pans = await pan(page);
      results.push(summarize(`${name}: frame time while panning`, pans, 'ms', name === 'generated 5,000' ? 50 : undefined, `p95 ${p95(pans).toFixed(1)} ms over ${pans.length} frames`));
    }
    await context.close();

    results.push(...(await paramEditBench(browser)));
  } finally {
    await browser.close();
    preview.stop();
  }
  return results;
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? NaN;
}

/**
 * In-page watcher for one parameter edit (a string: see `frameTimes`). `window.__armEdit(target)` waits for the
 * next `input` event, then resolves once every edge label in `target` ([edge id, text]) shows its text, with
 * times on the page's clock: the event, the DOM mutation that completed the labels, the animation frame that
 * first has them, and the end of that frame (a message posted from the frame's rAF callback runs after its paint).
 * Resolves null after 10 s.
 */
const ARM_EDIT = `(() => {
  window.__armEdit = (target) => new Promise((resolve) => {
    let tEvent = 0, tCapture = 0, tDom = 0, frames = 0;
    // one pass over the labels (a selector lookup per edge would itself cost tens of ms with 484 edges)
    const done = () => {
      const shown = new Map();
      for (const el of document.querySelectorAll('[data-testid^="edge-label-"]')) shown.set(el.dataset.testid, el.textContent);
      return target.every(([id, text]) => shown.get('edge-label-' + id) === text);
    };
    const observer = new MutationObserver(() => { if (tEvent && !tDom && done()) tDom = performance.now(); });
    observer.observe(document.querySelector('.react-flow'), { subtree: true, childList: true, characterData: true });
    const timer = setTimeout(() => { observer.disconnect(); resolve(null); }, 10000);
    const frame = () => {
      frames++;
      if (!done()) { requestAnimationFrame(frame); return; }
      const tFrame = performance.now();
      observer.disconnect();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { clearTimeout(timer); resolve({ tEvent, tCapture, tDom: tDom || tFrame, tFrame, tPainted: performance.now(), frames }); };
      channel.port2.postMessage(0);
    };
    document.addEventListener('input', (e) => {
      tCapture = performance.now();
      tEvent = Math.min(e.timeStamp, tCapture);
      requestAnimationFrame(frame);
    }, { capture: true, once: true });
  });
})()`;

interface EditTimes { tEvent: number; tCapture: number; tDom: number; tFrame: number; tPainted: number; frames: number }

/** Every edge label in the DOM: edge id → its text. */
const LABELS = `Object.fromEntries([...document.querySelectorAll('[data-testid^="edge-label-"]')].map((el) => [el.dataset.testid.slice('edge-label-'.length), el.textContent]))`;

const edgeNumber = (id: string) => Number(/(\d+)$/.exec(id)?.[1] ?? -1);

/**
 * Edits the selected input layer's shape back and forth (224 ↔ 192 square) in the inspector and times each
 * edit from the `input` event to the end of the first frame whose edge labels all show the new shapes.
 */
async function paramEdits(page: Page, runs: number) {
  const field = page.getByTestId('field-shape');
  await field.waitFor({ timeout: 10_000 });
  const values = ['192, 192, 3', '224, 224, 3'];
  const settle = () => page.evaluate('new Promise((r) => setTimeout(r, 250))');
  // Two unmeasured edits, which also say what every label reads at either value.
  const snapshots: Record<string, string>[] = [];
  for (const v of values) {
    await field.fill(v);
    await settle();
    snapshots.push((await page.evaluate(LABELS)) as Record<string, string>);
  }
  const [small, large] = snapshots;
  const changed = Object.keys(large).filter((k) => k in small && small[k] !== large[k]);
  if (!changed.length) throw new Error('the input-size edit changed no edge label');
  const last = changed.reduce((a, b) => (edgeNumber(b) > edgeNumber(a) ? b : a));
  const targets = snapshots.map((m) => changed.map((k) => [k, m[k]]));
  await page.evaluate(ARM_EDIT);
  // Chromium's own counters say where the time goes: script (store, analysis, React) and layout.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => new Map((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const painted: number[] = [];
  const dom: number[] = [];
  const frames: number[] = [];
  const script: number[] = [];
  const layout: number[] = [];
  for (let i = 0; i < runs; i++) {
    const k = i % 2;
    await page.evaluate(`(() => { window.__edit = window.__armEdit(${JSON.stringify(targets[k])}); })()`);
    const m0 = await metrics();
    await field.fill(values[k]);
    const t = (await page.evaluate('window.__edit')) as EditTimes | null;
    const m1 = await metrics();
    if (!t) throw new Error(`the edge labels did not show the new shapes within 10 s (edit to ${values[k]})`);
    painted.push(t.tPainted - t.tEvent);
    dom.push(t.tDom - t.tEvent);
    frames.push(t.frames);
    script.push(1000 * ((m1.get('ScriptDuration') ?? 0) - (m0.get('ScriptDuration') ?? 0)));
    layout.push(1000 * ((m1.get('LayoutDuration') ?? 0) - (m0.get('LayoutDuration') ?? 0)));
    await settle();
  }
  await cdp.detach();
  return { painted, dom, frames, script, layout, rendered: Object.keys(large).length, changed: changed.length, last, lastChange: `${large[last]} → ${small[last]}` };
}

/**
 * The work an edit asks of the main thread (Chromium's script and layout counters, per edit): what has to fit in
 * one frame's 16.7 ms for the edit to land in the next frame whatever the moment of the keystroke; the painted
 * time above also holds the wait for the frame boundary.
 */
function workPerEdit(name: string, r: { script: number[]; layout: number[]; frames: number[] }): BenchResult {
  const work = r.script.map((s, i) => s + r.layout[i]);
  const next = r.frames.filter((f) => f === 1).length;
  return summarize(name, work, 'ms', 16.7, `the new shapes were in the first frame after the input event in ${next} of ${r.frames.length} edits`);
}

/**
 * A parameter edit re-annotating the edges of DenseNet-121 (427 layers, 484 edges): the input's size, which
 * changes the shape on every edge but the classifier's. React Flow draws only on-screen elements in designs
 * over 120 layers, so this runs twice: in the usual window at the opening view (the edges on screen), and in
 * a window tall enough to fit the whole network, where every edge label is in the DOM.
 */
async function paramEditBench(browser: Browser): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const runs = 12;
  const med = (xs: number[], q = 0.5) => quantile([...xs].sort((a, b) => a - b), q).toFixed(1);
  const describe = (r: Awaited<ReturnType<typeof paramEdits>>, where: string) =>
    `input 224² ↔ 192², ${r.changed} of ${r.rendered} edge labels in the DOM change (${where}); ` +
    `median ${med(r.painted)} ms, p90 ${med(r.painted, 0.9)} ms from the input event to the end of the first frame showing them; ` +
    `labels in the DOM after ${med(r.dom)} ms; per edit ${med(r.script)} ms script, ${med(r.layout)} ms layout (medians, Chromium's counters); ` +
    `last edge ${r.last}: ${r.lastChange}; ` +
    `${r.frames.every((f) => f === 1) ? 'always the first frame after the event' : `frames after the event: ${r.frames.join(', ')}`}`;

  // The usual window: the opening view shows the top of the network.
  {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    await openAndMeasure(page, `${BASE}/?preset=densenet121`);
    await expandAll(page);
    await page.getByTestId('node-input').click();
    const r = await paramEdits(page, runs);
    results.push(summarize('DenseNet-121: input-size edit to a painted frame, edges on screen', r.painted, 'ms', 16.7, describe(r, '1600×1000 window, opening view: React Flow draws only on-screen edges in designs over 120 layers')));
    results.push(workPerEdit('DenseNet-121: input-size edit, main-thread work (script + layout), edges on screen', r));
    await context.close();
  }
  // A window tall enough for the whole network fitted (zoom about 0.07): all 484 edges rendered.
  {
    const context = await browser.newContext({ viewport: { width: 1600, height: 4000 } });
    const page = await context.newPage();
    await openAndMeasure(page, `${BASE}/?preset=densenet121`);
    await expandAll(page);
    await page.getByTestId('row-input').click(); // selects the input (and scrolls the canvas to it)
    await page.evaluate('new Promise((r) => setTimeout(r, 400))');
    await page.locator('.react-flow__controls-fitview').click();
    await page.evaluate('new Promise((r) => setTimeout(r, 400))');
    const zoom = await page.evaluate(`(() => { const m = /scale\\(([\\d.]+)\\)/.exec(document.querySelector('.react-flow__viewport')?.style.transform ?? ''); return m ? Number(m[1]) : NaN; })()`) as number;
    const r = await paramEdits(page, runs);
    results.push(summarize('DenseNet-121: input-size edit to a painted frame, every edge in the DOM', r.painted, 'ms', 16.7,
      describe(r, `1600×4000 window, whole network fitted at zoom ${zoom.toFixed(3)}`)));
    results.push(workPerEdit('DenseNet-121: input-size edit, main-thread work (script + layout), every edge in the DOM', r));
    await context.close();
  }
  return results;
}
