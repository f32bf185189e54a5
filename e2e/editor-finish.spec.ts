/**
 * Issue 26's last items, as a person meets them, at 1280×720 and 1400×900: an inserted block offers "Ungroup", not
 * "Group selection"; the Drafts menu keeps its name with the save state beside it; opening another design clears
 * the Run tab's outputs; a run right after opening is not called stale; Expand all on DenseNet-121 stays readable.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { dragToCanvas, openBlank, shot } from './helpers.ts';

const VIEWPORTS = [{ width: 1280, height: 720 }, { width: 1400, height: 900 }];

/** ResNet-18 as a file written by hand: no positions, so the editor lays it out after it opens. */
const resnetWithoutPositions = () => {
  const d = JSON.parse(readFileSync('presets/resnet18.convas.json', 'utf8'));
  for (const n of d.nodes) delete n.position;
  return Buffer.from(JSON.stringify(d));
};

async function openFile(page: Page, name: string, buffer: Buffer) {
  await page.getByTestId('open-input').setInputFiles({ name, mimeType: 'application/json', buffer });
  await expect(page.getByText(`Opened ${name}`)).toBeVisible({ timeout: 15_000 });
}

for (const vp of VIEWPORTS) {
  const at = `${vp.width}x${vp.height}`;
  test.describe(`at ${at}`, () => {
    test.use({ viewport: vp });

    test('an inserted block is selected as its group: Ungroup is offered, not Group selection', async ({ page }) => {
      await openBlank(page);
      await dragToCanvas(page, 'input', 300, 60);
      await page.getByTestId('node-input').click();
      await page.getByTestId('field-shape').fill('56, 56, 64');
      await page.getByTestId('palette-block-residual-basic').click();
      const inspector = page.getByTestId('selection-inspector');
      await expect(inspector).toBeVisible();
      await expect(inspector.getByRole('heading')).toHaveText('7 layers selected');
      await expect(inspector.getByTestId('node-group')).toHaveText('Residual basic block');
      await expect(inspector.getByTestId('group-selection')).toHaveCount(0);
      await shot(page, `finish-block-selected-${at}`);
      // Ctrl+G on it makes no second group of the same layers
      await page.getByTestId('canvas').focus();
      await page.keyboard.press('Control+g');
      await expect(page.getByText("These layers are already the group 'Residual basic block'")).toBeVisible();
      await expect(page.locator('.group-row')).toHaveCount(1);
      // dissolved, the same layers are no group any more: now Group selection is what fits
      await inspector.getByTestId('ungroup').click();
      await expect(inspector.getByTestId('group-selection')).toBeVisible();
      await expect(page.locator('.group-row')).toHaveCount(0);
      await page.getByTestId('group-label').fill('Body');
      await inspector.getByTestId('group-selection').click();
      await expect(inspector.getByTestId('node-group')).toHaveText('Body');
      await expect(inspector.getByTestId('group-selection')).toHaveCount(0);
      await shot(page, `finish-block-regrouped-${at}`);
    });

    test('the Drafts menu keeps its name; the save state is said beside it', async ({ page }) => {
      await page.goto('/?preset=conv-5x5-vs-3x3');
      await expect(page.getByTestId('total-params')).toContainText('176,320');
      const button = page.getByTestId('drafts-button');
      const status = page.getByTestId('save-status');
      await page.getByTestId('node-conv5x5').click();
      await page.getByTestId('field-filters').fill('32');
      await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
      await expect(button).toHaveText('Drafts ▾');
      await expect(status).toHaveText('Saved');
      // beside the button, on its line, and not cut
      const b = (await button.boundingBox())!;
      const s = (await status.boundingBox())!;
      expect(s.x).toBeGreaterThanOrEqual(b.x + b.width - 1);
      expect(Math.abs((s.y + s.height / 2) - (b.y + b.height / 2))).toBeLessThan(6);
      expect(await status.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      expect(s.x + s.width).toBeLessThanOrEqual(vp.width);
      await page.locator('.topbar').screenshot({ path: `e2e/.screenshots/finish-drafts-${at}.png` });
      // the menu is found by its name and opens
      await page.getByRole('button', { name: 'Drafts' }).click();
      await expect(page.getByTestId('drafts-menu')).toContainText('Other drafts in this browser');
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('drafts-menu')).toHaveCount(0);
      // a further edit: the name stays while the state changes
      await page.getByTestId('node-conv5x5').click();
      await page.getByTestId('field-filters').fill('48');
      await expect(page.getByTestId('total-params')).not.toContainText('176,320');
      await expect(button).toHaveText('Drafts ▾');
      await expect(status).toHaveText('Saved');
    });

    test('opening another design clears the Run tab; a run right after opening is not stale', async ({ page }) => {
      test.setTimeout(150_000);
      await page.goto('/?preset=resnet18');
      await expect(page.getByTestId('total-params')).toContainText('11,699,112');
      await page.getByRole('tab', { name: 'Run' }).click();
      const panel = page.getByTestId('run-panel');
      await panel.getByRole('button', { name: 'Run forward pass' }).click();
      await expect(panel.getByTestId('run-output-shape')).toHaveText('1000', { timeout: 60_000 });
      await page.getByRole('tab', { name: 'Layers' }).click();
      await page.getByTestId('row-maxpool').click();
      await page.getByRole('tab', { name: 'Run' }).click();
      await expect(panel.getByTestId('feature-thumb')).toHaveCount(32);

      // another preset: nothing of ResNet-18's run is left
      await page.getByTestId('presets-button').click();
      await page.getByTestId('preset-conv-5x5-vs-3x3').click();
      await expect(page.getByTestId('total-params')).toContainText('176,320');
      await expect(panel.getByTestId('run-meta')).toHaveCount(0);
      await expect(panel.getByTestId('run-output-shape')).toHaveCount(0);
      await expect(panel.getByTestId('feature-thumb')).toHaveCount(0);
      await expect(panel).not.toContainText('11,699,112');
      await shot(page, `finish-run-cleared-preset-${at}`);

      // a run and a profile of this one, then a file: both go
      await panel.getByRole('button', { name: 'Run forward pass' }).click();
      await expect(panel.getByTestId('run-meta')).toContainText('176,320 params', { timeout: 30_000 });
      await panel.getByTestId('profile-open').click(); // opening the view starts a profile
      await expect(page.getByTestId('profile-table')).toBeVisible({ timeout: 60_000 });
      // profiling again, and a file opened while it times: neither the shown profile nor the one under way stays
      await page.getByTestId('profile-start').click();
      await expect(page.getByTestId('profile-progress')).toBeVisible();
      await openFile(page, 'resnet-by-hand.convas.json', resnetWithoutPositions());
      await expect(panel.getByTestId('run-meta')).toHaveCount(0);
      await expect(page.getByTestId('profile-table')).toHaveCount(0);
      await expect(page.getByTestId('profile-progress')).toHaveCount(0);
      await expect(panel).not.toContainText('176,320');

      // run at once, while the auto-layout places the layers: the run is of this design, and says so
      await panel.getByRole('button', { name: 'Run forward pass' }).click();
      await expect(panel.getByTestId('run-meta')).toContainText('11,699,112 params', { timeout: 60_000 });
      await expect(page.getByTestId('layout-button')).toHaveText('Auto-layout'); // the layout has landed
      await expect(panel.getByTestId('run-meta')).not.toContainText('changed since this run');
      await page.getByRole('tab', { name: 'Layers' }).click();
      await page.getByTestId('row-maxpool').click();
      await page.getByRole('tab', { name: 'Run' }).click();
      await expect(panel.getByTestId('feature-thumb')).toHaveCount(32);
      await expect(page.getByTestId('profile-table')).toHaveCount(0); // the old design's profile never landed
      await shot(page, `finish-run-after-open-${at}`);
      // moving a layer changes the drawing, not the network: still this run's maps
      const node = (await page.getByTestId('node-maxpool').boundingBox())!;
      await page.mouse.move(node.x + node.width / 2, node.y + node.height / 2);
      await page.mouse.down();
      await page.mouse.move(node.x + node.width / 2 + 60, node.y + node.height / 2 + 10, { steps: 6 });
      await page.mouse.up();
      await expect(panel.getByTestId('run-meta')).not.toContainText('changed since this run');
      await expect(panel.getByTestId('feature-thumb')).toHaveCount(32);
      // a real change is still told
      await page.getByTestId('node-fc').click();
      await page.getByTestId('field-units').fill('10');
      await expect(panel.getByTestId('run-meta')).toContainText('the design changed since this run');
    });

    test('Expand all on DenseNet-121 keeps the layers readable and the minimap drawn', async ({ page }) => {
      await page.goto('/?preset=densenet121');
      await expect(page.getByTestId('total-params')).toContainText('8,062,504');
      await expect(page.getByTestId('group-denseblock3')).toBeVisible();
      await page.getByTestId('expand-all').click();
      await expect(page.locator('.react-flow__node-frame .group-node')).toHaveCount(0);
      await page.waitForTimeout(500);
      await shot(page, `finish-densenet-expanded-${at}`);
      // some layer is on screen at a size its name can be read (not a sliver of the whole network)
      const widths = await page.locator('.react-flow__node-layer').evaluateAll((els) => els.map((e) => {
        const r = e.getBoundingClientRect();
        return r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight ? r.width : 0;
      }));
      expect(Math.max(...widths)).toBeGreaterThan(80);
      // the minimap draws the network
      await expect(page.locator('.react-flow__minimap-node').first()).toBeVisible();
      await page.locator('.react-flow__minimap').screenshot({ path: `e2e/.screenshots/finish-densenet-minimap-${at}.png` });
    });
  });
}
