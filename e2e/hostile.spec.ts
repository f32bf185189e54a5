import { expect, test } from '@playwright/test';
import { shot } from './helpers.ts';

// Ids that are names of Object.prototype, a BOM before the JSON (issue 15).
const protoDesign = '\ufeff' + JSON.stringify({
  format: 'convas.design', version: 1, name: 'proto ids',
  nodes: [
    { id: 'in', kind: 'input', params: { shape: [8, 8, 3] }, position: { x: 0, y: 0 } },
    { id: 'gap', kind: 'globalAvgPool', params: {}, position: { x: 0, y: 120 } },
    { id: '__proto__', kind: 'dense', params: { units: 2 }, position: { x: -260, y: 240 } },
    { id: 'constructor', kind: 'dense', params: { units: 3 }, position: { x: 0, y: 240 } },
    { id: 'toString', kind: 'dense', params: { units: 5 }, position: { x: 260, y: 240 } },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'gap' },
    { id: 'e2', source: 'gap', target: '__proto__' },
    { id: 'e3', source: 'gap', target: 'constructor' },
    { id: 'e4', source: 'gap', target: 'toString' },
  ],
});

test('a design with a BOM and nodes called __proto__, constructor, toString opens, runs every output, and moves without NaN', async ({ page }) => {
  test.setTimeout(90_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?preset=conv-5x5-vs-3x3');
  await page.getByTestId('open-input').setInputFiles({ name: 'proto.convas.json', mimeType: 'application/json', buffer: Buffer.from(protoDesign) });
  await expect(page.locator('.layer-node')).toHaveCount(5);
  await expect(page.getByTestId('total-params')).toContainText(String(4 * 2 + 4 * 3 + 4 * 5));

  // Drag one node: the others (constructor among them) keep real positions, and the minimap draws no NaN.
  const node = page.locator('.react-flow__node[data-id="toString"]');
  const box = (await node.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 10);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + 60, { steps: 6 });
  await page.mouse.up();
  const mini = await page.locator('.react-flow__minimap').innerHTML();
  expect(mini).not.toContain('NaN');
  await expect(page.locator('.react-flow__node[data-id="constructor"]')).toBeVisible();
  expect(await page.locator('.react-flow__node[data-id="constructor"]').getAttribute('style')).not.toContain('NaN');

  // The Run tab lists all three outputs, __proto__ included.
  await page.getByRole('tab', { name: 'Run' }).click();
  const panel = page.getByTestId('run-panel');
  await panel.getByRole('button', { name: 'Run forward pass' }).click();
  await expect(panel.getByTestId('run-output')).toHaveCount(3, { timeout: 60_000 });
  await expect(panel.getByTestId('run-output').filter({ hasText: '__proto__' }).getByTestId('run-output-shape')).toHaveText('2');
  await expect(panel.getByTestId('run-output').filter({ hasText: 'constructor' }).getByTestId('run-output-shape')).toHaveText('3');
  await expect(panel.getByTestId('run-output').filter({ hasText: 'toString' }).getByTestId('run-output-shape')).toHaveText('5');
  await shot(page, 'hostile-proto-ids');
  expect(errors).toEqual([]);
});

test('the Run tab refuses a design above the compute budget with its expected time, before compiling', async ({ page }) => {
  test.setTimeout(60_000);
  const big = JSON.stringify({
    format: 'convas.design', version: 1, name: 'huge',
    nodes: [
      { id: 'in', kind: 'input', params: { shape: [512, 512, 3] }, position: { x: 0, y: 0 } },
      { id: 'c1', kind: 'conv2d', params: { filters: 256, kernelSize: 3, padding: 'same' }, position: { x: 0, y: 120 } },
      { id: 'c2', kind: 'conv2d', params: { filters: 256, kernelSize: 7, padding: 'same' }, position: { x: 0, y: 240 } },
    ],
    edges: [{ id: 'e1', source: 'in', target: 'c1' }, { id: 'e2', source: 'c1', target: 'c2' }],
  });
  await page.goto('/?preset=conv-5x5-vs-3x3');
  await page.getByTestId('open-input').setInputFiles({ name: 'huge.convas.json', mimeType: 'application/json', buffer: Buffer.from(big) });
  await expect(page.locator('.layer-node')).toHaveCount(3);
  await page.getByRole('tab', { name: 'Run' }).click();
  const panel = page.getByTestId('run-panel');
  await panel.getByRole('button', { name: 'Run forward pass' }).click();
  // 512·512·256·(3·3·3 + 7·7·256) MACs = 843.63 GMACs
  await expect(panel.getByRole('alert')).toContainText('design needs 843.63 GMACs for one forward pass (about 65 s on wasm)', { timeout: 30_000 });
  await expect(panel.getByRole('alert')).toContainText('above the 200.00 GMACs compute budget');
  await expect(panel.getByRole('alert')).toContainText('on wasm)');
});

test('the Run tab refuses a 16,000×16,000 PNG from its header, before decoding it', async ({ page }) => {
  const { deflateSync, crc32 } = await import('node:zlib');
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type), data])) >>> 0);
    return Buffer.concat([len, Buffer.from(type), data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(16000, 0);
  ihdr.writeUInt32BE(16000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  // The header claims 768 MB of pixels; the first rows are enough to look like a real PNG.
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc((16000 * 3 + 1) * 64))), chunk('IEND', Buffer.alloc(0)),
  ]);
  await page.goto('/?preset=conv-5x5-vs-3x3');
  await page.getByRole('tab', { name: 'Run' }).click();
  const panel = page.getByTestId('run-panel');
  await panel.getByTestId('run-image-input').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: png });
  await panel.getByRole('button', { name: 'Run forward pass' }).click();
  await expect(panel.getByRole('alert')).toHaveText('"huge.png": the image is 16000×16000 (256.0 megapixels), above the 50-megapixel limit; scale it down first');
  await expect(page.getByTestId('total-params')).toBeVisible();
});

test('a long run states its MACs and expected time while it runs, and can be cancelled', async ({ page }) => {
  await page.goto('/?preset=resnet18');
  await expect(page.getByTestId('total-params')).toContainText('11,699,112');
  await page.getByRole('tab', { name: 'Run' }).click();
  const panel = page.getByTestId('run-panel');
  await panel.getByLabel('Backend').selectOption('cpu');
  await panel.getByRole('button', { name: 'Run forward pass' }).click();
  // 1.81 GMACs at the cpu backend's measured 0.37 GMAC/s
  await expect(panel.getByTestId('run-expected')).toHaveText('1,814,073,344 MACs: about 4.9 s on cpu');
  await panel.getByRole('button', { name: 'Cancel' }).click();
  await expect(panel.getByRole('button', { name: 'Run forward pass' })).toBeVisible();
  await expect(panel.getByTestId('run-expected')).toHaveCount(0);
});
