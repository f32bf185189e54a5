import { spawnSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { openEffectiveFieldRun, shot } from './helpers.ts';

/**
 * The effective-field lesson as a student meets it: select the deepest layer; a run on the Shapes
 * sample draws the unit's gradient over the image beside its theoretical box, with the radius that holds 90% of
 * it equal to what `convas erf` prints for the same image and seed (one function, drivers/compile/erf.ts); "How the
 * field grows" lists 3 → 5 → 7 … and draws each step on the image.
 */
function cliRadius(node: string): number {
  const r = spawnSync('node', ['bin/convas.js', 'erf', 'presets/effective-field.convas.json', '--node', node, '--seed', '1',
    '--image', 'public/samples/shapes.png', '--json'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { radius90: number }).radius90;
}

for (const [w, h] of [[1280, 720], [1400, 900]] as const) {
  test(`the effective-field lesson at ${w}×${h}: heat map, 90% square, theoretical box, how the field grows`, async ({ page }) => {
    test.setTimeout(90_000);
    // the lesson says: select a layer (conv16, the deepest)
    const panel = await openEffectiveFieldRun(page, w, h);
    const growth = panel.getByTestId('field-growth');
    await expect(growth).toContainText('How the field grows');
    const steps = growth.getByTestId('growth-step');
    await expect(steps).toHaveCount(17);
    await expect(steps.nth(1)).toContainText('3 = 1 + (3 − 1)·1');
    await expect(steps.nth(2)).toContainText('5 = 3 + (3 − 1)·1');
    await expect(steps.nth(16)).toContainText('33 = 31 + (3 − 1)·1');

    await panel.getByRole('button', { name: 'Run forward pass' }).click();
    const summary = panel.getByTestId('erf-summary');
    await expect(summary).toContainText('Unit (32, 32) of conv16 (centre): theoretical field 33×33');
    await expect(panel.getByTestId('erf-radius')).toHaveText(String(cliRadius('conv16')), { timeout: 60_000 });
    await expect(panel.getByTestId('erf-heat')).toBeVisible();
    await expect(panel.getByTestId('rf-box')).toHaveAttribute('title', 'rows 16–48, columns 16–48');
    const r = cliRadius('conv16');
    await expect(panel.getByTestId('erf-square')).toHaveAttribute('title', `90% of the gradient: rows ${32 - r}–${32 + r}, columns ${32 - r}–${32 + r}`);
    // the square sits inside the box: the effective field is smaller than the theoretical one
    const box = (await panel.getByTestId('rf-box').boundingBox())!;
    const sq = (await panel.getByTestId('erf-square').boundingBox())!;
    expect(sq.width).toBeLessThan(box.width);

    await shot(page, `field-view-${w}x${h}`);
    // hovering a step draws that layer's field on the image: conv2's 5×5 around the same centre
    await steps.nth(2).hover();
    await expect(panel.locator('.growth-ring.active')).toHaveAttribute('title', 'conv2: 5×5');

    // a shallower layer: its own field and radius
    await page.getByRole('tab', { name: 'Layers' }).click();
    await page.getByTestId('row-conv1').click();
    await page.getByRole('tab', { name: 'Run' }).click();
    await expect(summary).toContainText('Unit (32, 32) of conv1 (centre): theoretical field 3×3');
    await expect(panel.getByTestId('erf-radius')).toHaveText(String(cliRadius('conv1')));
    await expect(panel.getByTestId('rf-box')).toHaveAttribute('title', 'rows 31–33, columns 31–33');
  });
}
