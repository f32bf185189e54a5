import { expect, test, type Page } from '@playwright/test';
import { PRESETS } from '../presets/index.ts';
import { shot } from './helpers.ts';

/**
 * Opening the lessons as a student does, at 1280×720 and 1400×900: the Inception lesson opens at a zoom where its
 * labels read, the inception (3a) module whole and the naive module's head with its params beside it (the rest a
 * pan away); and opening every lesson from the Presets menu while a layer is selected never crashes the page (it
 * used to: React error #185, a selection loop between React Flow and the store).
 */

const LESSONS = PRESETS.filter((p) => p.category === 'teaching').map((p) => p.id);

/** The canvas' zoom, read off React Flow's viewport transform. */
async function zoom(page: Page): Promise<number> {
  const style = (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '';
  return Number(/scale\(([\d.]+)\)/.exec(style)?.[1] ?? NaN);
}

for (const [w, h] of [[1280, 720], [1400, 900]] as const) {
  test(`the Inception lesson at ${w}×${h} opens readable: (3a) whole, the naive module's head and params in view`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await page.goto('/');
    await page.getByTestId('presets-button').click();
    await page.getByTestId('preset-inception-module').click();
    await expect(page.getByTestId('total-params')).toContainText('550,992');
    await expect.poll(() => zoom(page)).toBeGreaterThanOrEqual(0.6);
    for (const id of ['input', 'inception_3a.1x1', 'inception_3a.3x3_reduce', 'inception_3a.3x3', 'inception_3a.5x5', 'inception_3a.pool_proj', 'inception_3a.output']) {
      await expect(page.getByTestId(`node-${id}`), id).toBeInViewport();
    }
    // the comparison the lesson makes: each module's params, in its frame's head
    await expect(page.getByTestId('frame-head-inception_3a')).toBeInViewport();
    await expect(page.getByTestId('frame-head-naive')).toBeInViewport();
    await expect(page.getByTestId('frame-stats-inception_3a')).toHaveText('163,696 params');
    await expect(page.getByTestId('frame-stats-naive')).toHaveText('387,296 params');
    await expect(page.getByTestId('frame-stats-naive')).toBeInViewport();
    await shot(page, `lesson-inception-${w}x${h}`);
  });

  test(`every lesson opens from the menu at ${w}×${h} while a layer is selected, without a page error`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize({ width: w, height: h });
    await page.goto('/?preset=vgg16');
    await page.getByTestId('node-block1_conv1').click();
    await expect(page.locator('.react-flow__node.selected')).toHaveCount(1);
    for (const id of LESSONS) {
      await page.getByTestId('presets-button').click();
      await page.getByTestId(`preset-${id}`).click();
      await expect(page.getByTestId('total-params')).toBeVisible();
      // the lesson is on the canvas and still answers a click: select its first layer for the next lesson
      const first = page.locator('.react-flow__node [data-testid^="node-"]').first();
      await expect(first).toBeVisible();
      await first.click();
      await expect(page.locator('.react-flow__node.selected')).toHaveCount(1);
      expect(errors, `after opening ${id}`).toEqual([]);
    }
  });
}
