import { expect, test, type Page } from '@playwright/test';
import { shot } from './helpers.ts';

// Issue 26: the editor tried as a new user would, at both sizes a laptop and a desktop give it.
const VIEWPORTS = [{ width: 1280, height: 720 }, { width: 1400, height: 900 }];

/** Whether an input's placeholder fits its box (measured in the input's own font). */
async function placeholderFits(page: Page, testId: string) {
  return page.getByTestId(testId).evaluate((el: HTMLInputElement) => {
    const cs = getComputedStyle(el);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    return ctx.measureText(el.placeholder).width <= el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  });
}

/** Whether every cell's text is whole: nothing cut by its cell (the name cell elides in the middle on purpose). */
async function cutCells(page: Page, rowTestId: string) {
  return page.getByTestId(rowTestId).locator('td').evaluateAll((tds) =>
    tds.filter((td) => td.scrollWidth > td.clientWidth + 1).map((td) => td.textContent));
}

for (const viewport of VIEWPORTS) {
  const at = `${viewport.width}x${viewport.height}`;
  test.describe(`at ${at}`, () => {
    test.use({ viewport });

    test(`1. a typo never reaches the design; the field keeps its error until fixed or Escape (${at})`, async ({ page }) => {
      await page.goto('/?preset=conv-5x5-vs-3x3');
      await page.getByTestId('node-conv5x5').click();
      const filters = page.getByTestId('field-filters');
      await expect(filters).toHaveValue('64');
      await filters.fill('');
      await filters.pressSequentially('6x4');
      await expect(filters).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByTestId('inspector').getByRole('alert').last()).toBeVisible();
      // the node still has 64 filters: its output shape says so, and so do the totals
      await expect(page.getByTestId('inspector-output')).toContainText('64');
      await expect(page.getByTestId('total-params')).toHaveText('Total params: 176,320 (705.28 kB)');
      await shot(page, `new-user-1-typo-${at}`);
      // click away and back: the text and its error are still there, the design unchanged
      await page.getByTestId('node-input').click();
      await expect(page.getByTestId('notice')).toContainText('not applied');
      await page.getByTestId('node-conv5x5').click();
      await expect(page.getByTestId('field-filters')).toHaveValue('6x4');
      await expect(page.getByTestId('field-filters')).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByTestId('total-params')).toHaveText('Total params: 176,320 (705.28 kB)');
      // Escape restores the last valid value
      await page.getByTestId('field-filters').press('Escape');
      await expect(page.getByTestId('field-filters')).toHaveValue('64');
      await expect(page.getByTestId('field-filters')).not.toHaveAttribute('aria-invalid', 'true');
      // the same for another kind of number: a kernel size typed 12o
      const kernel = page.getByTestId('field-kernelSize');
      await kernel.fill('');
      await kernel.pressSequentially('12o');
      await expect(kernel).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByTestId('total-params')).toHaveText('Total params: 176,320 (705.28 kB)');
      await kernel.fill('3');
      // a 3×3 instead of the 5×5: 176,320 − (25 − 9)·64·64 = 110,784
      await expect(page.getByTestId('total-params')).toHaveText('Total params: 110,784 (443.14 kB)');
      // a block's setting outside the inspector takes only whole numbers too
      await page.getByTestId('block-times').fill('1e');
      await expect(page.getByTestId('block-times')).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByText('Copies: a whole number from 1 to 16; 1 stays')).toBeVisible();
      await page.getByTestId('block-times').press('Escape');
      await expect(page.getByTestId('block-times')).toHaveValue('1');
    });

    test(`3. numbers are never cut; no empty Δ column after undo; one unit convention (${at})`, async ({ page }) => {
      await page.goto('/?preset=vgg16');
      await page.getByTestId('pin-baseline').click();
      await page.getByTestId('tab-advice').click();
      await page.getByTestId('advice-global-pool-head-flatten').getByTestId('advice-apply').click();
      await expect(page.getByTestId('total-params')).toHaveText('Total params: 37,694,248 (150.78 MB)');
      await page.getByRole('tab', { name: 'Layers' }).click();
      await expect(page.getByTestId('row-fc1')).toContainText('2,101,248');
      await expect(page.getByTestId('delta-fc1')).toContainText('−100,663,296 params');
      expect(await cutCells(page, 'row-fc1')).toEqual([]);
      expect(await cutCells(page, 'row-block1_conv2')).toEqual([]);
      await shot(page, `new-user-3-delta-${at}`);
      await page.keyboard.press('Control+z');
      await expect(page.getByTestId('row-fc1')).toContainText('102,764,544');
      // back to the baseline: no layer differs, so no Δ column
      await expect(page.locator('th.delta-head')).toHaveCount(0);
      expect(await cutCells(page, 'row-fc1')).toEqual([]);
      // the params lines and the memory lines use the same SI units
      await expect(page.getByTestId('total-params')).toHaveText('Total params: 138,357,544 (553.43 MB)');
      await expect(page.getByTestId('memory-params')).toHaveText('Params: 553.43 MB');
      await shot(page, `new-user-3-undo-${at}`);
    });

    test(`4. the minimap can be hidden (remembered), keeps off the nodes, and a drag in it stays on the design (${at})`, async ({ page }) => {
      await page.goto('/?preset=conv-5x5-vs-3x3');
      const mini = page.locator('.react-flow__minimap');
      await expect(mini).toBeVisible();
      const m = (await mini.boundingBox())!;
      // no node lies under the map after the fit
      for (const node of await page.locator('.react-flow__node').all()) {
        const b = (await node.boundingBox())!;
        const overlaps = b.x < m.x + m.width && b.x + b.width > m.x && b.y < m.y + m.height && b.y + b.height > m.y;
        expect(overlaps, await node.textContent() ?? '').toBe(false);
      }
      await shot(page, `new-user-4-minimap-${at}`);
      // a long drag inside the map keeps the design in view
      await page.mouse.move(m.x + m.width / 2, m.y + m.height / 2);
      await page.mouse.down();
      await page.mouse.move(m.x - 300, m.y + m.height / 2, { steps: 10 });
      await page.mouse.up();
      await expect(page.locator('.react-flow__node').first()).toBeInViewport();
      await page.getByTestId('minimap-toggle').click();
      await expect(mini).toHaveCount(0);
      await page.reload();
      await expect(page.getByTestId('total-params')).toBeVisible();
      await expect(mini).toHaveCount(0);
      await expect(page.getByTestId('minimap-toggle')).toHaveText('Map');
      await page.getByTestId('minimap-toggle').click();
      await expect(mini).toBeVisible();
    });

    test(`2. the Run tab's maps follow the selection through quick clicks and Find (${at})`, async ({ page }) => {
      test.setTimeout(150_000);
      await page.goto('/?preset=resnet18');
      await page.getByRole('tab', { name: 'Run' }).click();
      const panel = page.getByTestId('run-panel');
      await panel.getByRole('button', { name: 'Run forward pass' }).click();
      await expect(panel.getByTestId('run-output-shape')).toHaveText('1000', { timeout: 120_000 });
      // Find selects on every keystroke, and Enter steps through the matches, faster than the worker answers
      const find = page.getByTestId('find-input');
      await find.click();
      await find.pressSequentially('layer2.0.conv', { delay: 20 });
      for (let i = 0; i < 4; i++) await find.press('Enter');
      // the layer selected last, as the inspector names it
      const selected = (await page.locator('.inspector-id').getAttribute('title'))!.replace('id in the design file: ', '');
      await expect(panel.locator('.run-maps-title code')).toHaveText(selected);
      await expect(panel.getByTestId('feature-thumb').first()).toBeVisible();
      await expect(panel).not.toContainText('Select a layer on the canvas');
      await shot(page, `new-user-2-maps-${at}`);
    });

    test(`7. the find counter never covers the typed text (${at})`, async ({ page }) => {
      await page.goto('/?preset=resnet18');
      const find = page.getByTestId('find-input');
      await find.fill('layer1.0.bn');
      const count = page.getByTestId('find-count');
      await expect(count).toHaveText(/^1\/\d+$/);
      const textEnd = await find.evaluate((el: HTMLInputElement) => {
        const cs = getComputedStyle(el);
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        return el.getBoundingClientRect().left + parseFloat(cs.paddingLeft) + ctx.measureText(el.value).width;
      });
      expect((await count.boundingBox())!.x).toBeGreaterThan(textEnd);
      await shot(page, `new-user-7-find-${at}`);
    });

    test(`8. a PNG opened as a design says it is an image and points to "Your image…" (${at})`, async ({ page }) => {
      await page.goto('/?preset=resnet18');
      await page.getByTestId('open-input').setInputFiles('public/samples/shapes.png');
      const notice = page.getByTestId('notice');
      await expect(notice).toContainText('shapes.png is an image (PNG), not a design');
      await expect(notice).toContainText('Your image…');
      await expect(notice).not.toContainText('Unexpected token');
      // nothing is lost: the design stays open
      await expect(page.getByTestId('total-params')).toContainText('11,699,112');
      // a wrong value names the field as the inspector shows it
      await page.getByTestId('node-conv1').click();
      await page.getByTestId('field-kernelSize').fill('0');
      await expect(page.getByTestId('inspector')).toContainText('Kernel size must be from 1');
      await shot(page, `new-user-8-messages-${at}`);
    });

    test(`9. the layout works: a tall canvas, the design's name whole, placeholders whole, totals unbroken (${at})`, async ({ page }) => {
      await page.goto('/?preset=vgg16');
      await expect(page.getByTestId('total-params')).toContainText('138,357,544');
      const canvas = (await page.getByTestId('canvas').boundingBox())!;
      expect(canvas.height).toBeGreaterThan(viewport.height * 0.55);
      const title = page.locator('.design-title');
      expect(await title.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      expect(await placeholderFits(page, 'palette-search')).toBe(true);
      expect(await placeholderFits(page, 'find-input')).toBe(true);
      // each total is on one line: its box is one line high
      for (const id of ['total-params', 'total-macs', 'memory-params', 'memory-training']) {
        const b = (await page.getByTestId(id).boundingBox())!;
        expect(b.height, id).toBeLessThan(24);
      }
      await shot(page, `new-user-9-layout-${at}`);
    });
  });
}
