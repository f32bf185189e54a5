import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { shot } from './helpers.ts';

/**
 * Issue 23 item 7 in the editor: a design with a layer stock tfjs lacks (LRN) exported from the Export menu downloads
 * `convas-tfjs-layers.js` beside model.json and the weights, the menu says so, and stock tfjs 4.22 in a process of
 * its own (test/support/stock-tfjs-run.mjs) refuses the model without the script and runs it with it.
 */

const design = {
  format: 'convas.design', version: 1, name: 'lrn net',
  nodes: [
    { id: 'in', kind: 'input', params: { shape: [8, 8, 3] } },
    { id: 'conv', kind: 'conv2d', params: { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' } },
    { id: 'norm', kind: 'lrn', params: { depthRadius: 2, bias: 1, alpha: 0.5, beta: 0.75 } },
  ],
  edges: [{ id: 'e1', source: 'in', target: 'conv' }, { id: 'e2', source: 'conv', target: 'norm' }],
};

for (const viewport of [{ width: 1280, height: 720 }, { width: 1400, height: 900 }]) {
  test(`the tfjs export of a design with LRN ships convas-tfjs-layers.js, which stock tfjs needs to load it, at ${viewport.width}×${viewport.height}`, async ({ page }) => {
    test.setTimeout(60_000);
    await page.setViewportSize(viewport);
    await page.goto('/');
    await expect(page.getByTestId('total-params')).toBeVisible();
    await page.getByTestId('open-input').setInputFiles({ name: 'lrn.convas.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)) });
    await expect(page.getByTestId('node-norm')).toBeVisible();

    const dir = mkdtempSync(join(tmpdir(), 'convas-tfjs-script-'));
    try {
      const names: string[] = [];
      const three = new Promise<void>((resolve) => {
        page.on('download', async (d) => {
          await d.saveAs(join(dir, d.suggestedFilename()));
          names.push(d.suggestedFilename());
          if (names.length === 3) resolve();
        });
      });
      await page.getByTestId('export-button').click();
      await expect(page.getByTestId('export-tfjs')).toContainText('+ convas-tfjs-layers.js where stock tfjs needs Convas\'s layers');
      await shot(page, `export-tfjs-script-${viewport.width}`);
      await page.getByTestId('export-tfjs').click();
      await three;
      expect(names.sort()).toEqual(['convas-tfjs-layers.js', 'lrn-net.model.json', 'lrn-net.weights.bin']);

      // stock tfjs reads the files under the names model.json names them
      const run = join(dir, 'run');
      execFileSync('mkdir', [run]);
      copyFileSync(join(dir, 'lrn-net.model.json'), join(run, 'model.json'));
      copyFileSync(join(dir, 'lrn-net.weights.bin'), join(run, 'weights.bin'));
      copyFileSync(join(dir, 'convas-tfjs-layers.js'), join(run, 'convas-tfjs-layers.js'));
      expect(JSON.parse(readFileSync(join(run, 'model.json'), 'utf8')).weightsManifest[0].paths).toEqual(['lrn-net.weights.bin']);
      writeFileSync(join(run, 'inputs.json'), JSON.stringify([{ shape: [1, 8, 8, 3], values: Array.from({ length: 192 }, (_, i) => Math.sin(i)) }]));
      const stock = (flag: string[]) => JSON.parse(execFileSync(process.execPath, ['test/support/stock-tfjs-run.mjs', run, ...flag], { encoding: 'utf8' }));
      expect(stock([]).error).toMatch(/Unknown layer: ConvasLRN/);
      const withScript = stock(['--script']);
      expect(withScript.error).toBeUndefined();
      expect(withScript.outputs[0].shape).toEqual([1, 8, 8, 4]);
      expect(withScript.outputs[0].values.every(Number.isFinite)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
