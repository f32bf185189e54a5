/**
 * Opening a trained model in the editor (issue 22): ResNet-50 exported by PyTorch (torchvision 0.14's
 * `resnet50(weights=None)`, `torch.onnx.export` opset 13: 98 MB) picked through Open… in headless Chromium, timed
 * from the moment the file has been read (the opening bar moves on from "reading" to importing) to the design drawn
 * on the canvas (target: under 2 s), and from the pick to the drawn design. The model is written once into the
 * system's temporary folder with /usr/bin/python3. Builds the app and serves it on port 4181.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS, checkChromium, startPreview, waitForServer } from './chromium.ts';
import { summarize, type BenchResult } from './harness.ts';

const PORT = 4181;
const BASE = `http://localhost:${PORT}`;
const PYTHON = process.env.CONVAS_TORCH_PYTHON ?? '/usr/bin/python3';

/** ResNet-50 as ONNX, exported once by scripts/export_onnx_models.py (as the onnx-import suite does) into the temporary folder. */
function resnet50Onnx(): string {
  const dir = join(tmpdir(), 'convas-bench');
  const file = join(dir, 'resnet50_o13.onnx');
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const r = spawnSync(PYTHON, ['scripts/export_onnx_models.py', dir, 'resnet50'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${PYTHON} could not export ResNet-50 (${r.stderr.trim().split('\n').pop()})`);
  return file;
}

/**
 * In-page watcher (a string: tsx's helpers do not exist in the page): resolves with the page-clock times at which
 * the opening bar first said it was importing (the file read), at which it went (the worker's answer arrived on the
 * page) and at which `title` showed with layers drawn.
 */
const WATCH = `(title) => new Promise((resolve) => {
  let read = 0, arrived = 0;
  const check = () => {
    const bar = document.querySelector('[data-testid="opening"]');
    if (!read && bar && /importing|checking/.test(bar.textContent)) read = performance.now();
    if (read && !arrived && !bar) arrived = performance.now();
    const shown = document.querySelector('[data-testid="design-title"]')?.textContent === title && document.querySelector('.react-flow__node');
    if (shown) {
      observer.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => resolve({ read, arrived: arrived || performance.now(), drawn: performance.now() })));
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  window.__picked = performance.now();
})`;

export async function benchOnnxOpen(): Promise<BenchResult[]> {
  checkChromium();
  const file = resnet50Onnx();
  const mb = statSync(file).size / 1048576;
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
  const preview = startPreview(PORT);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const afterRead: number[] = [];
  const inWorker: number[] = [];
  const onPage: number[] = [];
  const total: number[] = [];
  const heap: number[] = [];
  try {
    await waitForServer(BASE, 30_000);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    for (let i = 0; i < 4; i++) {
      await page.goto(`${BASE}/?preset=conv-5x5-vs-3x3`);
      await page.waitForSelector('.react-flow__node');
      const watch = page.evaluate(`(${WATCH})(${JSON.stringify(basename(file, '.onnx'))})`) as Promise<{ read: number; arrived: number; drawn: number }>;
      const t0 = Date.now();
      await page.getByTestId('open-input').setInputFiles(file);
      const { read, arrived, drawn } = await watch;
      const picked = Date.now() - t0;
      if (i === 0) continue; // warm-up: the importer's chunk loads the first time
      if (!read) throw new Error('the opening bar never said the file was read');
      afterRead.push(drawn - read);
      inWorker.push(arrived - read);
      onPage.push(drawn - arrived);
      total.push(picked);
      heap.push(((await page.evaluate('performance.memory ? performance.memory.usedJSHeapSize : NaN')) as number) / 1048576);
    }
  } finally {
    await browser.close();
    preview.stop();
  }
  return [
    summarize('ResNet-50 ONNX: from the file read to the design drawn', afterRead, 'ms', 2000, `${mb.toFixed(0)} MB, opset 13`),
    summarize('ResNet-50 ONNX: of which the import in the open worker', inWorker, 'ms', undefined, 'the ONNX reader, one analysis, the weights handed over'),
    summarize('ResNet-50 ONNX: of which the page drawing it', onPage, 'ms', undefined, 'the store (analysis, weights fitted) and the canvas'),
    summarize('ResNet-50 ONNX: from the pick to the design drawn', total, 'ms', undefined, 'reading the file in the worker included'),
    summarize('ResNet-50 ONNX: page JS heap after opening', heap, 'MB', undefined, 'the page\'s heap (the weights, held in the store); the open worker is gone by then'),
  ];
}
