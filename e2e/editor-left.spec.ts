import { expect, test, type Page } from '@playwright/test';
import { shot } from './helpers.ts';

// Issue 26, the items the first pass left (5, 6, 7, 8, 10), at both sizes a laptop and a desktop give the editor.
const VIEWPORTS = [{ width: 1280, height: 720 }, { width: 1400, height: 900 }];

async function openText(page: Page, name: string, design: object) {
  await page.getByTestId('open-input').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)) });
  await expect(page.getByTestId('notice')).toContainText(name);
}

/** in → stem → a (wired into cat); stem → b and in → c dangle: branches drawn but not yet merged. */
const halfWired = {
  format: 'convas.design', version: 1, name: 'half-wired concat',
  nodes: [
    { id: 'in', kind: 'input', params: { shape: [16, 16, 3] }, position: { x: 0, y: 0 } },
    { id: 'stem', kind: 'conv2d', params: { filters: 4, kernelSize: 1 }, position: { x: 0, y: 124 } },
    { id: 'a', kind: 'conv2d', params: { filters: 4, kernelSize: 1 }, position: { x: 0, y: 248 } },
    { id: 'b', kind: 'conv2d', params: { filters: 6, kernelSize: 3, padding: 'same' }, position: { x: 240, y: 248 } },
    { id: 'c', kind: 'conv2d', params: { filters: 2, kernelSize: 1 }, position: { x: 480, y: 124 } },
    { id: 'cat', kind: 'concat', params: {}, position: { x: 0, y: 372 } },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'stem' }, { id: 'e2', source: 'stem', target: 'a' }, { id: 'e3', source: 'stem', target: 'b' },
    { id: 'e4', source: 'in', target: 'c' }, { id: 'e5', source: 'a', target: 'cat' },
  ],
};

/** Whether an element's text is cut by its box. */
const cut = (page: Page, selector: string) => page.locator(selector).evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent));

for (const viewport of VIEWPORTS) {
  const at = `${viewport.width}x${viewport.height}`;
  test.describe(`at ${at}`, () => {
    test.use({ viewport });

    test(`6. a half-wired concat offers its dangling branches; the inspector reorders its inputs in one undo step (${at})`, async ({ page }) => {
      await page.goto('/');
      await openText(page, 'half-wired.convas.json', halfWired);
      await page.getByTestId('node-cat').click();
      const fixes = page.getByTestId('quick-fixes').getByRole('button');
      // the branch ends that feed nothing, nearest first; not stem, which a and b already take
      await expect(fixes).toHaveText(['Connect b → cat', 'Connect c → cat']);
      await shot(page, `editor-left-6-fixes-${at}`);
      await fixes.first().click();
      await expect(page.getByTestId('node-cat')).not.toHaveClass(/has-error/);
      const inspector = page.getByTestId('inspector');
      const inputs = page.getByTestId('input-order').locator('li');
      await expect(inputs).toHaveText(['1.a4 ch↑↓', '2.b6 ch↑↓']);
      await expect(inspector).toContainText('16×16×4 + 16×16×6');
      // b's channels first: the ↑ beside it
      await page.getByRole('button', { name: 'Move input 2 (b) earlier' }).click();
      await expect(inputs).toHaveText(['1.b6 ch↑↓', '2.a4 ch↑↓']);
      await expect(inspector).toContainText('16×16×6 + 16×16×4');
      await expect(page.getByTestId('inspector-output')).toHaveText('16×16×10');
      await expect(page.getByRole('button', { name: 'Move input 1 (b) earlier' })).toBeDisabled();
      await shot(page, `editor-left-6-order-${at}`);
      // one undo step puts it back; redo again
      await page.keyboard.press('Control+z');
      await expect(inputs).toHaveText(['1.a4 ch↑↓', '2.b6 ch↑↓']);
      await page.keyboard.press('Control+Shift+z');
      await expect(inputs).toHaveText(['1.b6 ch↑↓', '2.a4 ch↑↓']);
      // the saved file says the order: b on port 0
      const download = page.waitForEvent('download');
      await page.getByTestId('save-button').click();
      const saved = JSON.parse(await (await (await download).createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8')));
      const into = saved.edges.filter((e: { target: string }) => e.target === 'cat').map((e: { source: string; targetPort: number }) => [e.source, e.targetPort]);
      expect(into.sort()).toEqual([['a', 1], ['b', 0]]);
    });

    test(`5. long names keep the block and the layer, in the table, on the nodes and in Find (${at})`, async ({ page }) => {
      await page.goto('/?preset=densenet121');
      const id = 'features.denseblock3.denselayer12.conv2';
      // Find lists its matches by the part that tells them apart
      const find = page.getByTestId('find-input');
      await find.click();
      await find.pressSequentially('layer12.conv2');
      const results = page.getByTestId('find-results').locator('li');
      // denseblock1 has 6 layers: three blocks have a twelfth
      await expect(results).toHaveText(['…block2.denselayer12.conv2', '…block3.denselayer12.conv2', '…block4.denselayer12.conv2']);
      await expect(results.nth(1)).toHaveAttribute('title', `${id} (conv2d)`);
      await shot(page, `editor-left-5-find-${at}`);
      await results.nth(0).click();
      await expect(page.getByTestId('find-count')).toHaveText('1/3');
      // the table: rows differ where the names do (block and layer), the full name on hover
      const row2 = page.getByTestId('row-features.denseblock2.denselayer12.conv2').locator('td').first();
      await expect(row2).toHaveAttribute('title', 'features.denseblock2.denselayer12.conv2');
      await expect(row2).toContainText(/block2\..*layer12\.conv2$/);
      await find.click();
      await find.press('Enter');
      await expect(page.getByTestId('find-count')).toHaveText('2/3');
      const row3 = page.getByTestId(`row-${id}`).locator('td').first();
      await expect(row3).toHaveAttribute('title', id);
      await expect(row3).toContainText(/block3\..*layer12\.conv2$/);
      await shot(page, `editor-left-5-table-${at}`);
      // open the group on the canvas: the node's name keeps the block and the layer too, whole in its box
      await page.getByTestId('toggle-denseblock3').click();
      const name = page.getByTestId(`node-${id}`).locator('.layer-name');
      await expect(name).toHaveText(/^….*3\.….*layer12\.conv2$/);
      await expect(name).toHaveAttribute('title', id);
      await shot(page, `editor-left-5-canvas-${at}`);
      expect(await cut(page, '.layer-name')).toEqual([]);
    });

    test(`7. Find inside a collapsed group rings the group on the canvas, centred, and names the layer (${at})`, async ({ page }) => {
      await page.goto('/?preset=densenet121');
      await expect(page.getByTestId('group-denseblock3')).toBeVisible();
      const find = page.getByTestId('find-input');
      await find.click();
      await find.pressSequentially('denseblock3.denselayer20.conv1');
      const group = page.getByTestId('group-denseblock3');
      await expect(group).toHaveClass(/holds-selection/);
      await expect(page.getByTestId('group-holds-denseblock3')).toContainText(/3\.….*layer20\.conv1$/);
      // centred: the stand-in's middle within a tenth of the canvas' middle
      await page.waitForTimeout(400);
      const c = (await page.getByTestId('canvas').boundingBox())!;
      const g = (await group.boundingBox())!;
      expect(Math.abs(g.x + g.width / 2 - (c.x + c.width / 2))).toBeLessThan(c.width / 10);
      expect(Math.abs(g.y + g.height / 2 - (c.y + c.height / 2))).toBeLessThan(c.height / 10);
      // the table and inspector went there too
      await expect(page.getByTestId('row-features.denseblock3.denselayer20.conv1')).toHaveClass(/selected/);
      // its field, larger than the 224×224 input, says so in full: the RF column is sized with the note
      await expect(page.getByTestId('rf-features.denseblock3.denselayer20.conv1')).toHaveText(/^\d+×\d+ \(> input\)$/);
      expect(await cut(page, '.summary-table td.num')).toEqual([]);
      // and the names give way by their middle, measured: the cell never cuts the end that tells rows apart
      expect(await cut(page, '.summary-table td:first-child')).toEqual([]);
      // the top bar holds every control: the last one is whole on screen
      const last = (await page.getByTestId('link-button').boundingBox())!;
      expect(last.x + last.width).toBeLessThanOrEqual(viewport.width);
      await shot(page, `editor-left-7-find-${at}`);
      // another match in another block: that group takes the ring
      await find.fill('denseblock1.denselayer2.conv1');
      await expect(page.getByTestId('group-denseblock1')).toHaveClass(/holds-selection/);
      await expect(page.locator('.holds-selection')).toHaveCount(1);
      // ▸ opens it and the view goes to the layer, selected
      await page.getByTestId('toggle-denseblock1').click();
      await expect(page.locator('.react-flow__node.selected [data-testid="node-features.denseblock1.denselayer2.conv1"]')).toBeVisible();
    });

    test(`8. a kernel of 99 on a 56×56 input with same padding is said to be mostly padding, on the node and in the inspector (${at})`, async ({ page }) => {
      await page.goto('/');
      await openText(page, 'wide.convas.json', {
        format: 'convas.design', version: 1, name: 'wide kernel',
        nodes: [
          { id: 'in', kind: 'input', params: { shape: [56, 56, 3] }, position: { x: 0, y: 0 } },
          { id: 'conv', kind: 'conv2d', params: { filters: 8, kernelSize: 3 }, position: { x: 0, y: 124 } },
        ],
        edges: [{ id: 'e1', source: 'in', target: 'conv' }],
      });
      await page.getByTestId('node-conv').click();
      await expect(page.getByTestId('padding-mark-conv')).toHaveCount(0);
      const kernel = page.getByTestId('field-kernelSize');
      await kernel.fill('99');
      // 'valid' cannot take it: the error and its quick fix come first
      await expect(page.getByTestId('node-conv')).toHaveClass(/has-error/);
      await page.getByTestId('field-padding').selectOption('same');
      await expect(page.getByTestId('node-conv')).not.toHaveClass(/has-error/);
      await expect(page.getByTestId('inspector-output')).toHaveText('56×56×8');
      await expect(page.getByTestId('padding-mark-conv')).toHaveText('mostly padding');
      const warning = page.getByTestId('padding-warning');
      await expect(warning).toHaveText("Most of each window is padding: 69% of the 99×99 kernel's taps fall on the zeros around the 56×56 input, so most of its multiply-accumulates (counted in its MACs) multiply zeros.");
      await expect(page.getByTestId('padding-mark-conv')).toHaveAttribute('title', /69% of the 99×99 kernel/);
      await shot(page, `editor-left-8-padding-${at}`);
      // a kernel that fits leaves no warning
      await kernel.fill('5');
      await expect(warning).toHaveCount(0);
      await expect(page.getByTestId('padding-mark-conv')).toHaveCount(0);
    });

    test(`8. DeepLabv3's ASPP: the rate-36 branch is said to act as a 1×1 convolution on the 14×14 map (${at})`, async ({ page }) => {
      await page.goto('/?preset=deeplabv3-mobilenet-v3-large');
      const find = page.getByTestId('find-input');
      await find.click();
      await find.pressSequentially('classifier.0.convs.3.0');
      await find.press('Escape');
      await expect(page.getByTestId('padding-warning')).toContainText("89% of the 3×3 kernel's taps (dilation 36×36) fall on the zeros around the 14×14 input. Only the kernel's centre ever reads the input, so the layer computes what a 1×1 convolution would");
      await shot(page, `editor-left-8-aspp-${at}`);
    });

    test(`10. an advice percentage says of what: the layer's and the network's, largest saving first (${at})`, async ({ page }) => {
      await page.goto('/?preset=vgg16');
      await page.getByTestId('tab-advice').click();
      const first = page.getByTestId('advice-list').locator('li').first();
      await expect(first).toHaveAttribute('data-testid', 'advice-global-pool-head-flatten');
      // fc1's own params drop 98%; the whole network's 73% (138,357,544 → 37,694,248)
      await expect(first.getByTestId('advice-saving')).toHaveText('−100,663,296 params (−98% of fc1, −73% of the network), −100,663,296 MACs');
      await shot(page, `editor-left-10-advice-${at}`);
    });
  });
}
