import { expect, test } from '@playwright/test';
import { shot } from './helpers.ts';

/**
 * Explain this layer on a layer too large to draw whole, as a student meets it in the output-size lesson (28×28,
 * 5×5, stride 2): the grid shows its first and its last rows and columns with a marked gap, so the last window,
 * row and column 27 that no window reaches, and the last output cell are on screen, labelled; stepping jumps over
 * the hidden windows and says so, with the mouse and with the keys.
 */
for (const [w, h] of [[1280, 720], [1400, 900]] as const) {
  test(`a large layer's grid at ${w}×${h}: first and last cells, the unreached row and column drawn, jumps said`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await page.goto('/?preset=output-size');
    await page.getByTestId('node-conv1').click();
    const view = page.getByTestId('window-explainer');
    const figure = view.locator('.wx-figure');
    await figure.scrollIntoViewIfNeeded();
    await expect(figure).toBeInViewport();
    // the input's indices either side of the gaps: 0 … 6, then 20 … 27; the output's 0, 1 … 10, 11
    const indices = await figure.locator('text.wx-index').allTextContents();
    expect(indices.filter((t) => t === '27')).toHaveLength(2); // row 27 and column 27
    for (const i of ['0', '6', '20', '1', '10', '11']) expect(indices).toContain(i);
    await expect(figure.getByTestId('wx-gap-rows')).toHaveCount(2); // the input's and the output's
    await expect(figure.getByTestId('wx-gap-cols')).toHaveCount(2);
    await expect(figure.getByTestId('wx-gap-cols').first().locator('title')).toHaveText('input columns 7–19 left out');
    await expect(figure.getByTestId('wx-gap-cols').last().locator('title')).toHaveText('output (windows) columns 2–9 left out');
    // row 27 and column 27 are drawn and shaded: 15 cells of each (7 + 8 drawn), the corner counted once
    await expect(figure.locator('rect.wx-unreached-cell')).toHaveCount(29);
    await expect(view.getByTestId('wx-elided')).toContainText('Rows and columns 7–19 of the input are left out (the … gap), and with them windows 2–9.');
    await expect(view.getByTestId('wx-elided')).toContainText('4×4 of the 12×12 windows are drawn');
    await expect(view.getByTestId('wx-count')).toHaveText('1 / 16');
    await expect(view.getByTestId('wx-where')).toHaveText('Output cell (0, 0).');
    // two steps: the window goes from column 0 to 2, then jumps to 20 (output cell 10) and says so
    await view.getByTestId('wx-step').click();
    await expect(view.getByTestId('wx-where')).toHaveText('Output cell (0, 1).');
    await view.getByTestId('wx-step').click();
    await expect(view.getByTestId('wx-where')).toHaveText('Output cell (0, 10): the window jumped across over 8 hidden positions (2–9).');
    await expect(view.getByTestId('wx-count')).toHaveText('3 / 16');
    const windowBox = (await figure.locator('rect.wx-window').boundingBox())!;
    // the index 20 above the input (the row index 20 sits at the left): the window's box starts under it
    const twenties = await figure.locator('text.wx-index', { hasText: /^20$/ }).all();
    const col20 = (await Promise.all(twenties.map((t) => t.boundingBox()))).reduce((a, b) => (b!.x > a!.x ? b : a))!;
    expect(Math.abs(windowBox.x + windowBox.width / 10 - (col20.x + col20.width / 2))).toBeLessThan(8);
    await shot(page, `explain-large-jump-${w}x${h}`);
    // the keys: ↓ twice from row 0 goes to row 1, then jumps down to row 10
    await figure.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await expect(view.getByTestId('wx-where')).toHaveText('Output cell (1, 0).');
    await page.keyboard.press('ArrowDown');
    await expect(view.getByTestId('wx-where')).toHaveText('Output cell (10, 0): the window jumped down over 8 hidden positions (2–9).');
    // the last window: ← from the first wraps to output cell (11, 11), whose window covers rows and columns 22–26
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowLeft');
    await expect(view.getByTestId('wx-count')).toHaveText('16 / 16');
    await expect(view.getByTestId('wx-where')).toHaveText('Output cell (11, 11).');
    await expect(figure.locator('rect.wx-tap')).toHaveCount(25);
    await expect(figure.locator('rect.wx-current')).toHaveCount(1);
    await shot(page, `explain-large-last-${w}x${h}`);
  });
}
