import { expect, test } from '@playwright/test';
import { dragToCanvas, openBlank, selectedLayerId, shot } from './helpers.ts';

/**
 * A small decoder built as a person builds it: an input, a 3×3 conv, an upsampling, a 3×3 conv, each added from
 * the palette below the selected layer and set in the inspector. Its receptive fields are read off the screen:
 * the example of docs/receptive-field.md#how-it-is-reported (every unit of the last conv sees 4 pixels, units
 * half a pixel apart: `4×4 /½`), then the upsampling switched to bilinear ×3, whose units see 1 or 2 input
 * pixels by position (PyTorch's align_corners=False: the middle of every three reads one pixel, its second tap
 * weighing 0). At 1280×720 and 1400×900.
 */
for (const viewport of [{ width: 1280, height: 720 }, { width: 1400, height: 900 }]) {
  test(`a decoder's receptive fields on screen at ${viewport.width}×${viewport.height}: fractional strides, windows by position`, async ({ page }) => {
    test.setTimeout(60_000);
    await page.setViewportSize(viewport);
    await openBlank(page);
    await dragToCanvas(page, 'input', 300, 40);
    await page.getByTestId('node-input').click();
    await page.getByTestId('field-shape').fill('16, 16, 1');
    await expect(page.getByTestId('inspector-output')).toHaveText('16×16×1');

    const conv = async () => {
      await page.getByTestId('palette-conv2d').click();
      const id = await selectedLayerId(page);
      await page.getByTestId('field-filters').fill('1');
      await page.getByTestId('field-kernelSize').fill('3');
      await page.getByTestId('field-padding').selectOption('same');
      return id;
    };
    await conv();
    await page.getByTestId('palette-upsample2d').click();
    const up = await selectedLayerId(page);
    await expect(page.getByTestId('inspector-output')).toHaveText('32×32×1');
    const last = await conv();
    await expect(page.getByTestId('inspector-output')).toHaveText('32×32×1');
    await expect(page.getByTestId(`node-${last}`)).toContainText('RF 4×4 /½');
    await expect(page.getByTestId('inspector-rf')).toHaveText('4×4, stride ½×½, padding 2×2');
    // every window has 4 pixels: nothing to say about sizes by position
    await expect(page.getByTestId('inspector-rf-phases')).toHaveCount(0);
    await expect(page.getByTestId(`row-${last}`)).toContainText('4×4 /½');
    await shot(page, `decoder-nearest-${viewport.width}`);

    // bilinear ×3: the upsampling's own units see 1 or 2 input pixels, by position
    await page.getByTestId(`node-${up}`).click();
    await page.getByTestId('field-interpolation').selectOption('bilinear');
    await page.getByTestId('field-size').fill('3');
    await expect(page.getByTestId('inspector-output')).toHaveText('48×48×1');
    await expect(page.getByTestId(`node-${up}`)).toContainText('up ×3 bilinear');
    await expect(page.getByTestId('inspector-rf')).toHaveText('4×4, stride ⅓×⅓, padding 2×2');
    await expect(page.getByTestId('inspector-rf-phases')).toContainText('Units see 3 or 4 input pixels, by position');
    await expect(page.getByTestId(`node-${up}`)).toContainText('RF 4×4 /⅓');
    await expect(page.getByTestId('explain')).toContainText('out = 16·3 × 16·3 = 48×48');
    await shot(page, `decoder-bilinear-${viewport.width}`);
  });
}
