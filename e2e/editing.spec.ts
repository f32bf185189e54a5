import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { dragToCanvas, openBlank, shot, wire } from './helpers.ts';

const design = (nodes: unknown[], edges: unknown[], name = 'Test') =>
  JSON.stringify({ format: 'convas.design', version: 1, name, nodes, edges });

/** Opens a file as a person does, and waits until the page says it opened it (or why not): files open off the page thread. */
async function openText(page: Page, name: string, text: string) {
  await page.getByTestId('open-input').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.getByTestId('notice')).toContainText(name);
}

const skipDesign = design(
  [
    { id: 'in', kind: 'input', params: { shape: [32, 32, 16] } },
    { id: 'c1', kind: 'conv2d', params: { filters: 32, kernelSize: 3, padding: 'same' } },
    { id: 'sum', kind: 'add', params: {} },
  ],
  [
    { id: 'e1', source: 'in', target: 'c1' },
    { id: 'e2', source: 'c1', target: 'sum' },
    { id: 'e3', source: 'in', target: 'sum' },
  ],
  'Unequal add',
);

test('an add of unequal shapes shows the error on the node and in the list', async ({ page }) => {
  await page.goto('/');
  await openText(page, 'unequal.convas.json', skipDesign);
  const sum = page.getByTestId('node-sum');
  await expect(sum).toHaveClass(/has-error/);
  await expect(sum).toContainText('inputs must have identical shapes, got 32×32×32 and 32×32×16');
  await expect(sum).toContainText('? params');
  await expect(page.getByTestId('error-count')).toContainText('1 error');
  // the node names itself: its message goes without the label, which the list of errors puts in front
  await expect(sum).not.toContainText("add 'sum'");
  await page.getByTestId('error-count').click();
  await expect(page.getByTestId('error-list')).toContainText("add 'sum': inputs must have identical shapes, got 32×32×32 and 32×32×16");
  await page.getByTestId('error-list').getByRole('button').first().click();
  await expect(page.getByTestId('inspector')).toContainText('Add');
  await expect(page.locator('.inspector-error')).toHaveText(/^inputs must have identical shapes, got 32×32×32 and 32×32×16/);
  await shot(page, 'add-error');
  await expect(page.getByTestId('quick-fixes')).toContainText('Insert a 1×1 projection conv (32 filters) on the input from in');
  await page.getByTestId('quick-fixes').getByRole('button').first().click();
  await expect(sum).not.toHaveClass(/has-error/);
  // 4,640 for c1 plus 16·32 = 512 for the projection
  await expect(page.getByTestId('total-params')).toContainText('Total params: 5,152');
  await shot(page, 'add-quick-fix');
  await page.keyboard.press('Control+z');
  await expect(sum).toHaveClass(/has-error/);

  // fix it in the inspector: 16 filters make the shapes equal
  await page.getByTestId('node-c1').click();
  await page.getByTestId('field-filters').fill('16');
  await expect(sum).not.toHaveClass(/has-error/);
  await expect(page.locator('.ok-badge')).toBeVisible();
});

test('a single-input layer refuses a second input with a visible message; merges keep order', async ({ page }) => {
  await openBlank(page);
  await dragToCanvas(page, 'input', 150, 60);
  await dragToCanvas(page, 'input', 450, 60);
  await dragToCanvas(page, 'conv2d', 300, 220);
  await dragToCanvas(page, 'concat', 300, 380);
  await wire(page, 'input', 'conv2d');
  await wire(page, 'input_2', 'conv2d');
  await expect(page.getByTestId('notice')).toContainText('takes one input');
  await expect(page.locator('.edge-label')).toHaveCount(1);
  await wire(page, 'conv2d', 'concat');
  await wire(page, 'input_2', 'concat');
  await expect(page.locator('.edge-label')).toHaveCount(3);
  // 222×222×64 and 224×224×3 do not concat: the message names the first input's shape first
  await expect(page.getByTestId('node-concat')).toHaveClass(/has-error/);
  await expect(page.getByTestId('node-concat')).toContainText('222×222');
  await shot(page, 'wiring-refused');
});

test('save downloads the design and opening the file brings back the same design', async ({ page }) => {
  await page.goto('/?preset=inception-module');
  await expect(page.getByTestId('total-params')).toContainText('550,992');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-button').click()]);
  expect(download.suggestedFilename()).toMatch(/\.convas\.json$/);
  const saved = readFileSync((await download.path())!, 'utf8');
  const original = JSON.parse(saved);
  await page.getByTestId('new-button').click();
  await expect(page.getByTestId('total-params')).toHaveText('Total params: 0 (0 B)');
  await page.getByTestId('open-input').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(saved) });
  await expect(page.getByTestId('total-params')).toContainText('550,992');
  const [again] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-button').click()]);
  expect(JSON.parse(readFileSync((await again.path())!, 'utf8'))).toEqual(original);
});

test('reload restores the autosaved design exactly', async ({ page }) => {
  await page.goto('/?preset=conv-5x5-vs-3x3');
  await expect(page.getByTestId('total-params')).toContainText('176,320');
  const first = page.locator('.react-flow__node-layer').first();
  await first.click();
  await page.getByTestId('field-name').fill('my renamed layer');
  await page.waitForTimeout(400);
  const before = await page.evaluate(() => localStorage.getItem(`convas.draft.${sessionStorage.getItem('convas.tab')}`));
  expect(before).toContain('my renamed layer');
  await page.goto('/');
  await expect(page.getByText('my renamed layer').first()).toBeVisible();
  await expect(page.getByTestId('total-params')).toContainText('176,320');
  const after = await page.evaluate(() => localStorage.getItem(`convas.draft.${sessionStorage.getItem('convas.tab')}`));
  expect(JSON.parse(after!)).toEqual(JSON.parse(before!));
});

test('a malformed file shows the reason and leaves the canvas as it was', async ({ page }) => {
  await page.goto('/?preset=vgg16');
  await expect(page.getByTestId('total-params')).toContainText('138,357,544');
  await openText(page, 'broken.convas.json', '{"format": "convas.design", "version": 1, "nodes": [');
  await expect(page.getByTestId('notice')).toContainText('Could not open the file: broken.convas.json: not valid JSON');
  await openText(page, 'other.json', '{"format": "something-else"}');
  await expect(page.getByTestId('notice')).toContainText('"format" must be "convas.design"');
  await expect(page.getByTestId('total-params')).toContainText('138,357,544');
  await expect(page.getByTestId('design-title')).toHaveText('VGG-16');
  await shot(page, 'malformed-file');
});

test('a file dropped on the canvas opens; a design without positions is laid out', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('total-params')).toBeVisible();
  const dt = await page.evaluateHandle((text) => {
    const d = new DataTransfer();
    d.items.add(new File([text], 'dropped.convas.json', { type: 'application/json' }));
    return d;
  }, skipDesign);
  await page.getByTestId('canvas').dispatchEvent('drop', { dataTransfer: dt });
  await expect(page.getByTestId('design-title')).toHaveText('Unequal add');
  // laid out top to bottom: the conv sits below the input
  await expect(async () => {
    const a = (await page.getByTestId('node-in').boundingBox())!;
    const b = (await page.getByTestId('node-c1').boundingBox())!;
    expect(b.y).toBeGreaterThan(a.y + a.height);
  }).toPass();
});

test('a name with markup is shown as text', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  const evil = '<img src=x onerror=alert(1)>';
  await page.goto('/');
  await openText(page, 'evil.convas.json', design(
    [{ id: 'in', kind: 'input', name: evil, params: { shape: [8, 8, 3] } }],
    [],
    evil,
  ));
  // a long name is shortened in the middle on the node; the full name (as text) is its hover title
  await expect(page.getByTestId('node-in').locator('.layer-name')).toHaveAttribute('title', evil);
  await expect(page.getByTestId('node-in').locator('.layer-name')).toHaveText(/^<img.*….*=alert\(1\)>$/);
  await expect(page.getByTestId('design-title')).toHaveText(evil);
  await expect(page.locator('.react-flow img')).toHaveCount(0);
  await page.getByTestId('node-in').click();
  await page.getByTestId('field-name').fill(evil + '!');
  await expect(page.getByTestId('node-in').locator('.layer-name')).toHaveAttribute('title', evil + '!');
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(dialogs).toBe(0);
});

test('undo and redo from the toolbar, delete with the keyboard', async ({ page }) => {
  await page.goto('/?preset=conv-5x5-vs-3x3');
  await expect(page.getByTestId('total-params')).toContainText('176,320');
  const count = await page.locator('.react-flow__node-layer').count();
  await page.locator('.react-flow__node-layer').last().click();
  await page.keyboard.press('Delete');
  await expect(page.locator('.react-flow__node-layer')).toHaveCount(count - 1);
  await page.getByTestId('undo-button').click();
  await expect(page.locator('.react-flow__node-layer')).toHaveCount(count);
  await expect(page.getByTestId('total-params')).toContainText('176,320');
  await page.getByTestId('redo-button').click();
  await expect(page.locator('.react-flow__node-layer')).toHaveCount(count - 1);
});

test('an edge is selected by clicking it and removed with Delete; its target then waits for an input', async ({ page }) => {
  await page.goto('/');
  await openText(page, 'chain.convas.json', design(
    [
      { id: 'in', kind: 'input', params: { shape: [8, 8, 3] }, position: { x: 0, y: 0 } },
      { id: 'c', kind: 'conv2d', params: { filters: 4, kernelSize: 3 }, position: { x: 0, y: 220 } },
    ],
    [{ id: 'e1', source: 'in', target: 'c' }],
  ));
  await expect(page.locator('.edge-label')).toHaveText(['8×8×3']);
  const a = (await page.getByTestId('node-in').boundingBox())!;
  const b = (await page.getByTestId('node-c').boundingBox())!;
  await page.mouse.click(a.x + a.width / 2, a.y + a.height + (b.y - a.y - a.height) * 0.25);
  await expect(page.locator('.react-flow__edge.selected')).toHaveCount(1);
  await page.keyboard.press('Delete');
  await expect(page.locator('.edge-label')).toHaveCount(0);
  await expect(page.getByTestId('node-c')).toHaveClass(/has-error/);
  await page.keyboard.press('Control+z');
  await expect(page.locator('.edge-label')).toHaveCount(1);
});

test('a dense layer on a feature map offers Flatten or Global average pool', async ({ page }) => {
  await page.goto('/');
  await openText(page, 'dense.convas.json', design(
    [
      { id: 'in', kind: 'input', params: { shape: [7, 7, 512] }, position: { x: 0, y: 0 } },
      { id: 'fc', kind: 'dense', params: { units: 10 }, position: { x: 0, y: 120 } },
    ],
    [{ id: 'e1', source: 'in', target: 'fc' }],
  ));
  await page.getByTestId('node-fc').click();
  await expect(page.getByTestId('quick-fixes')).toContainText('Insert Flatten (7×7×512 → 25088)');
  await page.getByTestId('quick-fixes').getByRole('button', { name: /Global average pool/ }).click();
  await expect(page.getByTestId('total-params')).toContainText('Total params: 5,130 ');
  await expect(page.locator('.ok-badge')).toBeVisible();
});

test('copy link puts the whole design in the address; opening it brings the design back', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/?preset=bottleneck-1x1');
  await expect(page.getByTestId('total-params')).toContainText('659,456');
  await page.locator('.react-flow__node-layer').first().click();
  await page.getByTestId('field-name').fill('linked');
  await page.getByTestId('link-button').click();
  await expect(page.getByTestId('notice')).toContainText('Link');
  const url = page.url();
  expect(url).toContain('#design=');
  const other = await context.newPage();
  await other.addInitScript(() => localStorage.clear());
  await other.goto(url);
  await expect(other.getByTestId('total-params')).toContainText('659,456');
  await expect(other.getByText('linked', { exact: true }).first()).toBeVisible();
});

test('a hand-written design whose edges have no ids opens, draws its edges, and edits like any other', async ({ page }) => {
  await page.goto('/?preset=vgg16');
  await expect(page.getByTestId('total-params')).toContainText('138,357,544');
  await openText(page, 'hand.convas.json', JSON.stringify({
    format: 'convas.design', version: 1, name: 'By hand',
    nodes: [
      { id: 'in', kind: 'input', params: { shape: [8, 8, 3] } },
      { id: 'a', kind: 'conv2d', params: { filters: 4, kernelSize: 3 } },
      { id: 'b', kind: 'conv2d', params: { filters: 2, kernelSize: 3 } },
      { id: 'cat', kind: 'concat' },
    ],
    // no ids, and a port on the second edge only: 'b' is input 0, 'a' fills the free place 1
    edges: [{ source: 'in', target: 'a' }, { source: 'in', target: 'b' }, { source: 'a', target: 'cat' }, { source: 'b', target: 'cat', targetPort: 0 }],
  }));
  await expect(page.getByTestId('design-title')).toHaveText('By hand');
  await expect(page.getByTestId('total-params')).toContainText('Total params: 168 ');
  await expect(page.getByTestId('error-count')).toHaveCount(0);
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
  await shot(page, 'no-edge-ids');
  // deleting a layer takes its edges (each has an id in the editor) with it
  await page.getByTestId('node-b').click();
  await page.keyboard.press('Delete');
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  await expect(page.getByTestId('error-count')).toBeVisible();
});
