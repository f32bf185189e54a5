import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { dragToCanvas, openBlank, selectedLayerId, shot, wire } from './helpers.ts';

/**
 * Issue 14, acted out as the person did: build GoogLeNet's inception (3a) by clicking, repair mistakes with
 * quick fixes, read DenseNet-121, download files. Each test looks at the screen (boxes, screenshots).
 */

type Rect = { x: number; y: number; width: number; height: number };

/** On-screen boxes of the visible layers (and collapsed group stand-ins), by test id. */
async function layerRects(page: Page): Promise<Record<string, Rect>> {
  return page.evaluate(() => {
    const out: Record<string, Rect> = {};
    for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node-layer .layer-node, .react-flow__node-frame .group-node')) {
      const r = el.getBoundingClientRect();
      if (r.width && r.height) out[el.dataset.testid ?? ''] = { x: r.x, y: r.y, width: r.width, height: r.height };
    }
    return out;
  });
}

const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

function overlappingPairs(rects: Record<string, Rect>): string[] {
  const ids = Object.keys(rects);
  const out: string[] = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) if (overlap(rects[ids[i]], rects[ids[j]])) out.push(`${ids[i]} × ${ids[j]}`);
  return out;
}

/** Whether a box lies inside the canvas' visible part (not under the minimap in its corner). */
async function inView(page: Page, testId: string): Promise<boolean> {
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const mini = await page.locator('.react-flow__minimap').boundingBox();
  const b = await page.getByTestId(testId).boundingBox();
  if (!b) return false;
  const inside = b.x >= canvas.x && b.y >= canvas.y && b.x + b.width <= canvas.x + canvas.width && b.y + b.height <= canvas.y + canvas.height;
  return inside && !(mini && overlap(b, mini));
}

async function inputOf(page: Page, shape: string) {
  await dragToCanvas(page, 'input', 300, 40);
  await page.getByTestId('node-input').click();
  await page.getByTestId('field-shape').fill(shape);
}

test('inception (3a) by clicking: siblings side by side, one undo per click, search adds, blocks land in view', async ({ page }) => {
  await openBlank(page);
  await inputOf(page, '28, 28, 192');
  // select the input, click "1×1 Conv"; select the input again, click it again
  await page.getByTestId('node-input').click();
  await page.getByTestId('palette-conv2d-1x1').click();
  const first = await selectedLayerId(page);
  await page.getByTestId('node-input').click();
  await page.getByTestId('palette-conv2d-1x1').click();
  const second = await selectedLayerId(page);
  // one fresh-id rule: the second layer from the same entry is the first's id numbered on
  expect(second).toBe(`${first}_2`);
  await expect(page.locator('.react-flow__node-layer')).toHaveCount(3);
  let rects = await layerRects(page);
  expect(overlappingPairs(rects)).toEqual([]);
  const [a, b] = [rects[`node-${first}`], rects[`node-${second}`]];
  expect(Math.abs(a.y - b.y)).toBeLessThan(2); // side by side, one row below the input
  expect(b.x).toBeGreaterThan(a.x + a.width);
  expect(a.y).toBeGreaterThan(rects['node-input'].y + rects['node-input'].height);
  await expect(page.locator('.edge-label')).toHaveCount(2);
  await shot(page, 'work-siblings');

  // one Ctrl+Z takes back the whole click: the layer and its wire, no orphan left
  await page.getByTestId('canvas').click({ position: { x: 700, y: 500 } });
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node-layer')).toHaveCount(2);
  await expect(page.locator('.edge-label')).toHaveCount(1);
  await expect(page.locator('.layer-node.has-error')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.locator('.react-flow__node-layer')).toHaveCount(3);

  // the palette search: type "pool", Enter adds the first match (max pool) below the selected layer
  await page.getByTestId('node-input').click();
  await page.getByTestId('palette-search').fill('pool');
  await expect(page.locator('.palette-item.first-match')).toHaveText('Max pool');
  await expect(page.getByTestId('palette-dense')).toHaveCount(0);
  await page.getByTestId('palette-search').press('Enter');
  await expect(page.getByTestId('node-maxPool2d')).toBeVisible();
  await expect(page.getByTestId('node-maxPool2d')).toContainText('maxpool 2×2 /2');
  await page.waitForTimeout(300); // the view follows the new layer (a 200 ms pan)
  expect(await inView(page, 'node-maxPool2d')).toBe(true);
  expect(await inView(page, 'node-input')).toBe(true);
  rects = await layerRects(page);
  expect(overlappingPairs(rects)).toEqual([]);
  await shot(page, 'work-search-pool');
  await page.getByTestId('palette-search').fill('');

  // the inception block, clicked with the input selected: clear of every layer, in view, one undo step
  await page.getByTestId('node-input').click();
  await page.getByTestId('palette-block-inception').click();
  await expect(page.locator('.react-flow__node-layer')).toHaveCount(4 + 8);
  await expect(page.locator('.ok-badge')).toBeVisible();
  await expect.poll(() => inView(page, 'node-inception.concat')).toBe(true);
  rects = await layerRects(page);
  expect(overlappingPairs(rects)).toEqual([]);
  await shot(page, 'work-inception-block');
  await page.getByTestId('canvas').click({ position: { x: 700, y: 30 } });
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node-layer')).toHaveCount(4);

  // a paste lands clear of its original (find brings the layer back into view first)
  await page.getByTestId('find-input').fill(first);
  await page.getByTestId('find-input').press('Escape');
  await page.getByTestId(`node-${first}`).click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(page.locator('.react-flow__node-layer')).toHaveCount(5);
  // the copy of a layer whose id is taken gets the next free number (first and first_2 exist)
  expect(await selectedLayerId(page)).toBe(`${first}_3`);
  expect(overlappingPairs(await layerRects(page))).toEqual([]);
  await page.getByTestId('canvas').click({ position: { x: 700, y: 30 } });
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node-layer')).toHaveCount(4);
});

test('quick fixes: a kernel larger than its input, dense on a map, a missing input; each one undo step, placed clear', async ({ page }) => {
  await openBlank(page);
  await inputOf(page, '14, 14, 8');
  await page.getByTestId('node-input').click();
  await page.getByTestId('palette-conv2d').click();
  await page.getByTestId('field-kernelSize').fill('15');
  await expect(page.getByTestId('node-conv2d')).toContainText('kernel 15×15 is larger than its 14×14 input');
  await expect(page.getByTestId('quick-fixes')).toBeVisible();
  await shot(page, 'work-kernel-fix-offered');
  await page.getByRole('button', { name: "Use the largest kernel that fits: 14×14 (input 14×14)" }).click();
  await expect(page.getByTestId('inspector-output')).toHaveText('1×1×64');
  await page.getByTestId('canvas').click({ position: { x: 700, y: 500 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-conv2d')).toContainText('is larger than its 14×14 input');
  await page.getByTestId('node-conv2d').click();
  await page.getByRole('button', { name: "Set padding 'same' (keeps the kernel 15×15)" }).click();
  await expect(page.getByTestId('inspector-output')).toHaveText('14×14×64');
  await expect(page.locator('.ok-badge')).toBeVisible();

  // groups 3 on 8 input channels: the largest groups that divide 8 channels and 64 filters is 2
  await page.getByTestId('field-groups').fill('3');
  await expect(page.getByTestId('node-conv2d')).toContainText('groups 3 does not divide its 8 input channels');
  await page.getByRole('button', { name: 'Set groups to 2 (divides 8 input channels and 64 filters)' }).click();
  await expect(page.locator('.ok-badge')).toBeVisible();
  // 15·15·(8/2)·64 + 64
  await expect(page.getByTestId('inspector-params')).toHaveText('57,664');

  // dense on the 14×14×64 map: the global pool goes onto the edge and pushes the dense down
  await page.getByTestId('node-conv2d').click();
  await page.getByTestId('palette-dense').click();
  await expect(page.getByTestId('node-dense')).toContainText('needs a flat input');
  const convBefore = (await page.getByTestId('node-conv2d').boundingBox())!;
  const denseBefore = (await page.getByTestId('node-dense').boundingBox())!;
  await page.getByRole('button', { name: /Insert Global average pool/ }).click();
  await expect(page.locator('.ok-badge')).toBeVisible();
  await page.waitForTimeout(300); // the view follows the new layer (a 200 ms pan)
  const conv = (await page.getByTestId('node-conv2d').boundingBox())!;
  const pool = (await page.getByTestId('node-globalAvgPool').boundingBox())!;
  const denseAfter = (await page.getByTestId('node-dense').boundingBox())!;
  // it took the dense layer's place under the conv, and is in view
  expect(Math.abs((pool.y - conv.y) - (denseBefore.y - convBefore.y))).toBeLessThan(3);
  expect(Math.abs(pool.x - conv.x)).toBeLessThan(3);
  expect(await inView(page, 'node-globalAvgPool')).toBe(true);
  expect(denseAfter.y).toBeGreaterThan(pool.y + pool.height); // which moved down
  expect(overlappingPairs(await layerRects(page))).toEqual([]);
  await expect(page.locator('.edge-label')).toHaveCount(3);
  await shot(page, 'work-gap-inserted');
  await page.getByTestId('canvas').click({ position: { x: 700, y: 500 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-globalAvgPool')).toHaveCount(0);
  await expect(page.getByTestId('node-dense')).toContainText('needs a flat input');

  // a layer dropped without a wire: "Connect" wires it from the nearest layer above
  await dragToCanvas(page, 'maxPool2d', 650, 420);
  await page.getByTestId('node-maxPool2d').click();
  await expect(page.getByTestId('node-maxPool2d')).toContainText('needs an input');
  await page.locator('.quick-fix').first().click();
  await expect(page.getByTestId('node-maxPool2d')).not.toContainText('needs an input');
});

test('a concat of 28×28 and 26×26 branches: the quick fix pads the branch that shrank', async ({ page }) => {
  await openBlank(page);
  await inputOf(page, '28, 28, 16');
  await page.getByTestId('node-input').click();
  await page.getByTestId('palette-conv2d-1x1').click();
  const pointwise = await selectedLayerId(page);
  await page.getByTestId('node-input').click();
  await page.getByTestId('palette-conv2d').click(); // 3×3, padding valid: 26×26
  const conv3 = await selectedLayerId(page);
  await page.getByTestId(`node-${pointwise}`).click();
  await page.getByTestId('palette-concat').click();
  await wire(page, conv3, 'concat');
  await expect(page.getByTestId('node-concat')).toContainText('inputs must have equal H×W');
  await page.getByTestId('node-concat').click();
  await shot(page, 'work-concat-fix-offered');
  await page.getByRole('button', { name: `Set padding 'same' on ${conv3} (26×26 → 28×28)` }).click();
  await expect(page.locator('.ok-badge')).toBeVisible();
  await expect(page.getByTestId('inspector-output')).toHaveText('28×28×128');
  expect(overlappingPairs(await layerRects(page))).toEqual([]);
});

test('a residual skip that no longer fits gets its projection beside the add, in view, clear of every layer; one undo', async ({ page }) => {
  await openBlank(page);
  await inputOf(page, '56, 56, 64');
  await page.getByTestId('node-input').click();
  await page.getByTestId('palette-block-residual-basic').click();
  await expect(page.locator('.ok-badge')).toBeVisible();
  // a stride of 2 on the first conv: the main path is 28×28×64, the skip still 56×56×64
  await page.getByTestId('find-input').fill('residual.conv_a');
  await page.getByTestId('find-input').press('Escape');
  await page.getByTestId('field-strides').fill('2');
  await expect(page.getByTestId('node-residual.add')).toContainText('inputs must have identical shapes');
  await page.getByTestId('find-input').fill('residual.add');
  await page.getByTestId('find-input').press('Escape');
  await page.getByRole('button', { name: 'Insert a 1×1 projection conv (64 filters stride 2) on the input from input' }).click();
  await expect(page.locator('.ok-badge')).toBeVisible();
  await page.waitForTimeout(300); // the view follows the new layer
  expect(await inView(page, 'node-projection')).toBe(true);
  const rects = await layerRects(page);
  expect(overlappingPairs(rects)).toEqual([]);
  // beside the add, one row above it
  const [proj, add] = [rects['node-projection'], rects['node-residual.add']];
  expect(proj.y + proj.height).toBeLessThan(add.y);
  expect(Math.abs(proj.x - add.x)).toBeGreaterThan(add.width);
  await shot(page, 'work-projection-fix');
  await page.getByTestId('canvas').click({ position: { x: 700, y: 30 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-projection')).toHaveCount(0);
  await expect(page.getByTestId('node-residual.add')).toContainText('inputs must have identical shapes');
});

test('branch and skip edges run beside the layers: no shape label is hidden under a layer', async ({ page }) => {
  for (const preset of ['inception-module', 'dense-block', 'googlenet', 'resnet50']) {
    await page.goto(`/?preset=${preset}`);
    await expect(page.locator('.ok-badge')).toBeVisible();
    await page.waitForTimeout(400);
    const hidden = await page.evaluate(() => {
      const nodes = [...document.querySelectorAll<HTMLElement>('.react-flow__node-layer')].map((n) => n.getBoundingClientRect());
      const out: string[] = [];
      for (const l of document.querySelectorAll<HTMLElement>('.edge-label')) {
        const r = l.getBoundingClientRect();
        const cx = r.x + r.width / 2;
        const cy = r.y + r.height / 2;
        if (nodes.some((n) => cx > n.x && cx < n.x + n.width && cy > n.y && cy < n.y + n.height)) out.push(`${l.dataset.testid} ${l.textContent}`);
      }
      return out;
    });
    expect(hidden, preset).toEqual([]);
    await shot(page, `work-edges-${preset}`);
  }
  // GoogLeNet's branch names keep the part that tells them apart, whole, on the node
  await page.getByTestId('presets-button').click();
  await page.getByTestId('preset-googlenet').click();
  await page.getByTestId('find-input').fill('inception3a.branch2.1.conv');
  const name = page.getByTestId('node-inception3a.branch2.1.conv').locator('.layer-name');
  await expect(name).toHaveText(/branch2\.1\.conv$/);
  await expect(name).toHaveAttribute('title', 'inception3a.branch2.1.conv');
  expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await shot(page, 'work-googlenet-names');
});

test('DenseNet-121 opens as its outline, fitted; collapse/expand all; long names keep their tail; a new design clears find', async ({ page }) => {
  await page.goto('/?preset=resnet18');
  await expect(page.getByTestId('total-params')).toContainText('11,699,112');
  // find something, scroll the table: opening another design must start both afresh
  await page.getByTestId('find-input').fill('layer4');
  await page.locator('.table-wrap').evaluate((el) => { el.scrollTop = 400; });

  await page.getByTestId('presets-button').click();
  const t0 = Date.now();
  await page.getByTestId('preset-densenet121').click();
  const groups = ['stem', 'denseblock1', 'transition1', 'denseblock2', 'transition2', 'denseblock3', 'transition3', 'denseblock4'];
  await expect.poll(async () => {
    for (const g of groups) if (!(await inView(page, `group-${g}`))) return false;
    return inView(page, 'node-classifier');
  }, { timeout: 15_000, intervals: [50] }).toBe(true);
  const openToOutline = Date.now() - t0;
  console.log(`DenseNet-121 open-to-outline: ${openToOutline} ms`);
  await shot(page, 'work-densenet-outline');
  await expect(page.getByTestId('total-params')).toContainText('8,062,504');
  await expect(page.getByTestId('find-input')).toHaveValue('');
  expect(await page.locator('.table-wrap').evaluate((el) => el.scrollTop)).toBe(0);
  // the outline is readable: each stand-in at least 60 px wide on screen (not a one-pixel column)
  expect((await page.getByTestId('group-denseblock3').boundingBox())!.width).toBeGreaterThan(60);
  await expect(page.getByTestId('group-denseblock3')).toContainText('168 layers');
  // finding a layer inside a collapsed block shows the block's box
  await page.getByTestId('find-input').fill('denseblock4.denselayer16.conv2');
  await page.waitForTimeout(300);
  expect(await inView(page, 'group-denseblock4')).toBe(true);
  await page.getByTestId('find-input').press('Escape');

  await page.getByTestId('expand-all').click();
  await expect(page.locator('.react-flow__node-frame .group-node')).toHaveCount(0);
  await page.getByTestId('find-input').fill('denselayer12.conv2');
  await page.getByTestId('find-input').press('Enter');
  const name = page.getByTestId('node-features.denseblock3.denselayer12.conv2').locator('.layer-name');
  await expect(name).toHaveAttribute('title', 'features.denseblock3.denselayer12.conv2');
  // the parts that tell rows apart stay: the block's number and the layer's (…3.…layer12.conv2)
  await expect(name).toHaveText(/3\..*layer12\.conv2$/);
  // and the shortened name fits its node: the browser cuts nothing more
  expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  const row = page.getByTestId('row-features.denseblock3.denselayer12.conv2').locator('td').first();
  await expect(row).toHaveText(/3\..*layer12\.conv2$/);
  await shot(page, 'work-densenet-names');
  await page.getByTestId('tab-chart').click();
  const bar = page.locator('.chart-name[title="features.denseblock3.denselayer12.conv2"]');
  await expect(bar).toHaveText(/3\..*layer12\.conv2$/);
  await bar.scrollIntoViewIfNeeded();
  await shot(page, 'work-densenet-chart-names');

  await page.getByTestId('collapse-all').click();
  await expect(page.locator('.react-flow__node-frame .group-node')).toHaveCount(8);
  await page.getByTestId('canvas').click({ position: { x: 700, y: 30 } });
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node-frame .group-node')).toHaveCount(0);
});

test('files: the PyTorch download imports in Python by its name; saving twice gives the same bytes', async ({ page }) => {
  await openBlank(page);
  await inputOf(page, '28, 28, 192');
  await page.getByTestId('palette-block-inception').click();
  await page.getByTestId('canvas').click({ position: { x: 900, y: 30 } });
  await page.getByTestId('design-name').fill('my inception 3a');
  const save = async () => {
    const d = page.waitForEvent('download');
    await page.getByTestId('save-button').click();
    const dl = await d;
    return readFileSync((await dl.path())!, 'utf8');
  };
  const first = await save();
  // an edit and its undo leave keys in another order inside the store: the file must not change
  await page.getByTestId('node-inception.branch1x1').click();
  await page.getByTestId('field-filters').fill('65');
  await page.getByTestId('field-filters').fill('64');
  await page.getByTestId('canvas').click({ position: { x: 900, y: 30 } });
  expect(await save()).toBe(first);

  await page.getByTestId('export-button').click();
  const d = page.waitForEvent('download');
  await page.getByTestId('export-pytorch').click();
  const dl = await d;
  expect(dl.suggestedFilename()).toBe('my_inception_3a.py');
  const dir = (await dl.path())!.replace(/\/[^/]+$/, '');
  const target = `${dir}/my_inception_3a.py`;
  await dl.saveAs(target);
  const r = spawnSync('/usr/bin/python3', ['-c', 'import my_inception_3a, torch; m = my_inception_3a.MyInception3a(); print(tuple(m(torch.zeros(1, 192, 28, 28)).shape), sum(p.numel() for p in m.parameters()))'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  expect(r.stderr).toBe('');
  // GoogLeNet (3a) with 1×1 reductions: 256 channels out, 163,696 parameters
  expect(r.stdout.trim()).toBe('(1, 256, 28, 28) 163696');
});
