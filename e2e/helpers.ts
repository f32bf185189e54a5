import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

export const SHOTS = 'e2e/.screenshots';
mkdirSync(SHOTS, { recursive: true });

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

/** Opens the app on a fresh, empty design. */
export async function openBlank(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('total-params')).toBeVisible();
  await page.getByTestId('new-button').click();
  await expect(page.getByTestId('total-params')).toHaveText('Total params: 0 (0 B)');
}

/**
 * The effective-field lesson as a student opens it at w×h: the preset, its deepest layer (conv16) selected from its
 * row in the Layers table (it may lie below the view on the canvas), the Run tab. Returns the Run panel.
 */
export async function openEffectiveFieldRun(page: Page, w: number, h: number) {
  await page.setViewportSize({ width: w, height: h });
  await page.goto('/?preset=effective-field');
  await page.getByRole('tab', { name: 'Layers' }).click();
  await page.getByTestId('row-conv16').click();
  await page.getByRole('tab', { name: 'Run' }).click();
  return page.getByTestId('run-panel');
}

/** Drags a palette item onto the canvas at (x, y) relative to the canvas' top-left corner. */
export async function dragToCanvas(page: Page, item: string, x: number, y: number) {
  const canvas = page.getByTestId('canvas');
  await page.getByTestId(`palette-${item}`).dragTo(canvas, { targetPosition: { x, y } });
}

/** Drags from the bottom handle of one node to the top handle of another, as a person does. */
export async function wire(page: Page, from: string, to: string) {
  const src = page.getByTestId(`node-${from}`).locator('.react-flow__handle-bottom');
  const dst = page.getByTestId(`node-${to}`).locator('.react-flow__handle-top');
  const a = (await src.boundingBox())!;
  const b = (await dst.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2 + 5, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/**
 * The id of the layer selected on the canvas, read off its node (a palette click selects the layer it adds, so
 * this is the id the editor gave it: tests need not know the palette entry's id base).
 */
export async function selectedLayerId(page: Page): Promise<string> {
  const node = page.locator('.react-flow__node.selected [data-testid^="node-"]').first();
  await expect(node).toBeVisible();
  return (await node.getAttribute('data-testid'))!.slice('node-'.length);
}
