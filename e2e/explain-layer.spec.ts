import { expect, test, type Page } from '@playwright/test';
import { shot } from './helpers.ts';

/**
 * "Explain this layer", as a student uses it: open a design with an 8×8 input and a 3×3 stride-2 valid conv,
 * select the conv, read the formula with 8, 3 and 2 ending at 3 (⌊(8 − 3)/2⌋ + 1, the course notes' formula),
 * see the one input row and column no window reaches, and step and play the window with the mouse and the keys.
 */
const design = JSON.stringify({
  format: 'convas.design', version: 1, name: 'stride that does not divide',
  nodes: [
    { id: 'in', kind: 'input', params: { shape: [8, 8, 1] }, position: { x: 200, y: 40 } },
    { id: 'conv', kind: 'conv2d', params: { filters: 4, kernelSize: 3, strides: 2, padding: 'valid' }, position: { x: 200, y: 200 } },
  ],
  edges: [{ source: 'in', target: 'conv' }],
});

async function openDesign(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('total-params')).toBeVisible();
  await page.getByTestId('open-input').setInputFiles({ name: 'eight.convas.json', mimeType: 'application/json', buffer: Buffer.from(design) });
  await expect(page.getByTestId('node-conv')).toBeVisible();
}

for (const [w, h] of [[1280, 720], [1400, 900]] as const) {
  test(`explain a 3×3 stride-2 conv on 8×8 at ${w}×${h}: formula, unreached row and column, play and step`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await openDesign(page);
    await page.getByTestId('node-conv').click();
    const view = page.getByTestId('window-explainer');
    await view.scrollIntoViewIfNeeded();
    await expect(view).toBeVisible();
    const formula = view.getByTestId('wx-formula');
    await expect(formula).toContainText('out = ⌊(8 + 2·0 − 3) / 2⌋ + 1');
    await expect(formula).toContainText('= ⌊2.5⌋ + 1');
    await expect(formula).toContainText('= 3');
    await expect(formula).toContainText('params = 3·3·1·4 + 4 = 40');
    await expect(view.getByTestId('wx-unreached')).toContainText('No window reaches 1 row (7) and 1 column (7) of the input');
    // the last row and the last column are shaded: 8 + 8 − 1 cells
    await expect(view.locator('rect.wx-unreached-cell')).toHaveCount(15);
    // the first window covers 3×3 cells; 9 windows in all
    await expect(view.locator('rect.wx-tap')).toHaveCount(9);
    await expect(view.getByTestId('wx-count')).toHaveText('1 / 9');
    await view.getByTestId('wx-step').click();
    await expect(view.getByTestId('wx-count')).toHaveText('2 / 9');
    await shot(page, `explain-conv-step-${w}x${h}`);
    // the keys: the figure takes the focus, → steps, ↓ goes a row down, Home back to the first
    await view.locator('.wx-figure').focus();
    await page.keyboard.press('ArrowRight');
    await expect(view.getByTestId('wx-count')).toHaveText('3 / 9');
    await page.keyboard.press('ArrowDown');
    await expect(view.getByTestId('wx-count')).toHaveText('6 / 9');
    await page.keyboard.press('Home');
    await expect(view.getByTestId('wx-count')).toHaveText('1 / 9');
    // play at 4×: the window moves on its own, pause stops it
    await view.getByLabel('Speed').selectOption('4');
    await view.getByTestId('wx-play').click();
    await expect(view.getByTestId('wx-play')).toHaveText('Pause');
    await expect(view.getByTestId('wx-count')).not.toHaveText('1 / 9');
    await view.getByTestId('wx-play').click();
    await expect(view.getByTestId('wx-play')).toHaveText('Play');
    const stopped = await view.getByTestId('wx-count').textContent();
    await page.waitForTimeout(600);
    await expect(view.getByTestId('wx-count')).toHaveText(stopped!);
    await shot(page, `explain-conv-${w}x${h}`);
  });
}
