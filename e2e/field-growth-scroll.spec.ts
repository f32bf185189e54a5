import { expect, test, type Locator } from '@playwright/test';
import { openEffectiveFieldRun, shot } from './helpers.ts';

/**
 * How the field grows, on the deep-chain lesson's deepest layer (17 steps), scrolls in its own box beside the image:
 * the student wheels down the list and hovers the last steps while the image, the heat map and the field drawn on
 * it stay where they were, and the Run panel itself does not scroll. At 1280×720 the panel's columns are about 170 px
 * tall, so one above the other cannot work (the image alone is 160 px).
 */
const top = async (l: Locator) => (await l.boundingBox())!.y;

for (const [w, h] of [[1280, 720], [1400, 900]] as const) {
  test(`How the field grows scrolls on its own at ${w}×${h}, the image and heat map stay in view`, async ({ page }) => {
    test.setTimeout(90_000);
    const panel = await openEffectiveFieldRun(page, w, h);
    await panel.getByRole('button', { name: 'Run forward pass' }).click();
    const preview = panel.getByTestId('run-preview');
    await expect(panel.getByTestId('erf-heat')).toBeVisible({ timeout: 60_000 });
    await expect(preview).toBeInViewport({ ratio: 1 });
    const imageTop = await top(preview);
    const heatTop = await top(panel.getByTestId('erf-heat'));
    const panelTop = await top(panel);
    const steps = panel.getByTestId('growth-step');
    await expect(steps).toHaveCount(17);
    const side = panel.getByTestId('field-side');
    // the list is longer than its box: it scrolls, the box does not grow the panel
    expect(await side.evaluate((e) => e.scrollHeight > e.clientHeight)).toBe(true);

    // a person wheels down over the list
    const box = (await side.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 2000);
    await expect.poll(() => side.evaluate((e) => e.scrollTop)).toBeGreaterThan(0);
    await expect(steps.nth(16)).toBeInViewport({ ratio: 1 });
    // then hovers the last step: the image still in place, whole, with the heat map and conv16's 33×33 field on it
    await steps.nth(16).hover();
    await expect(panel.locator('.growth-ring.active')).toHaveAttribute('title', 'conv16: 33×33');
    await expect(preview).toBeInViewport({ ratio: 1 });
    // (the heat map is drawn over the image inside its frame: the frame whole in view and the map where it was)
    await expect(panel.getByTestId('erf-heat')).toBeVisible();
    expect(await top(panel.getByTestId('erf-heat'))).toBe(heatTop);
    expect(await top(preview)).toBe(imageTop);
    expect(await top(panel)).toBe(panelTop);
    // the hovered step sits beside the image, not under it
    const step = (await steps.nth(16).boundingBox())!;
    const image = (await preview.boundingBox())!;
    expect(step.x).toBeGreaterThanOrEqual(image.x + image.width);
    // neither the Run panel nor the tab scrolled
    expect(await panel.evaluate((e) => e.scrollTop)).toBe(0);
    expect(await panel.evaluate((e) => e.parentElement!.parentElement!.scrollTop)).toBe(0);
    await shot(page, `field-growth-scroll-${w}x${h}`);

    // from the keyboard (the mouse moved off the list): focusing the first step scrolls the list back up, the image stays
    await page.mouse.move(image.x + 10, image.y + 10);
    await steps.nth(1).focus();
    await expect(panel.locator('.growth-ring.active')).toHaveAttribute('title', 'conv1: 3×3');
    await expect(steps.nth(1)).toBeInViewport({ ratio: 1 });
    expect(await top(preview)).toBe(imageTop);
  });
}
