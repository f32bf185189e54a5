import { expect, test } from '@playwright/test';
import { shot } from './helpers.ts';

// Totals as `npx convas summary presets/<id>.convas.json --json` reports them.
const TOTALS: Record<string, { params: string; trainable: string; nonTrainable: string }> = {
  'alexnet-2012': { params: '60,965,224', trainable: '60,965,224', nonTrainable: '0' },
  alexnet: { params: '61,100,840', trainable: '61,100,840', nonTrainable: '0' },
  vgg16: { params: '138,357,544', trainable: '138,357,544', nonTrainable: '0' },
  googlenet: { params: '6,639,464', trainable: '6,624,904', nonTrainable: '14,560' },
  resnet18: { params: '11,699,112', trainable: '11,689,512', nonTrainable: '9,600' },
  resnet50: { params: '25,610,152', trainable: '25,557,032', nonTrainable: '53,120' },
  'resnet50-keras': { params: '25,636,712', trainable: '25,583,592', nonTrainable: '53,120' },
  densenet121: { params: '8,062,504', trainable: '7,978,856', nonTrainable: '83,648' },
  'conv-5x5-vs-3x3': { params: '176,320', trainable: '176,320', nonTrainable: '0' },
  'bottleneck-1x1': { params: '659,456', trainable: '659,456', nonTrainable: '0' },
  'inception-module': { params: '550,992', trainable: '550,992', nonTrainable: '0' },
  'dense-block': { params: '227,840', trainable: '225,536', nonTrainable: '2,304' },
  // Keras's published Xception totals (keras.io/api/applications: 22,910,480 params; 87.40 MiB as float32)
  xception: { params: '22,910,480', trainable: '22,855,952', nonTrainable: '54,528' },
  // torchvision 0.14's published parameter counts; the batch norms' running statistics beside them.
  'mobilenet-v3-large': { params: '5,507,432', trainable: '5,483,032', nonTrainable: '24,400' },
  'convnext-tiny': { params: '28,589,128', trainable: '28,589,128', nonTrainable: '0' },
  'efficientnet-b0': { params: '5,330,564', trainable: '5,288,548', nonTrainable: '42,016' },
  'shufflenet-v2-x1': { params: '2,294,784', trainable: '2,278,604', nonTrainable: '16,180' },
  'regnet-y-400mf': { params: '4,371,296', trainable: '4,344,144', nonTrainable: '27,152' },
  unet: { params: '31,030,658', trainable: '31,030,658', nonTrainable: '0' },
  'fcn-resnet50': { params: '33,011,157', trainable: '32,957,013', nonTrainable: '54,144' },
  'deeplabv3-mobilenet-v3-large': { params: '11,053,461', trainable: '11,025,477', nonTrainable: '27,984' },
  'lraspp-mobilenet-v3-large': { params: '3,246,194', trainable: '3,221,538', nonTrainable: '24,656' },
  autoencoder: { params: '10,885', trainable: '10,885', nonTrainable: '0' },
};

test('the app opens with ResNet-18 when nothing is autosaved, skip edges dashed', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('design-title')).toHaveText('ResNet-18 (torchvision)');
  await expect(page.getByTestId('total-params')).toHaveText('Total params: 11,699,112 (46.80 MB)');
  await expect(page.locator('.shape-edge.skip').first()).toBeAttached();
  await expect(page.getByTestId('node-conv1')).toContainText('conv 7×7 /2');
  await shot(page, 'resnet18');
});

test('every preset opens from the menu with its totals', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('total-params')).toBeVisible();
  for (const [id, t] of Object.entries(TOTALS)) {
    await page.getByTestId('presets-button').click();
    await page.getByTestId(`preset-${id}`).click();
    await expect(page.getByTestId('total-params')).toContainText(`Total params: ${t.params} (`);
    await expect(page.getByTestId('trainable-params')).toContainText(`Trainable params: ${t.trainable} (`);
    await expect(page.getByTestId('nontrainable-params')).toContainText(`Non-trainable params: ${t.nonTrainable} (`);
    await expect(page.locator('.ok-badge')).toBeVisible();
    if (id === 'vgg16') await expect(page.getByTestId('total-params')).toHaveText('Total params: 138,357,544 (553.43 MB)');
    if (id === 'xception') await expect(page.getByTestId('total-params')).toHaveText('Total params: 22,910,480 (91.64 MB)');
    if (['inception-module', 'densenet121', 'vgg16', 'xception', 'mobilenet-v3-large', 'convnext-tiny', 'efficientnet-b0', 'shufflenet-v2-x1', 'regnet-y-400mf', 'unet', 'deeplabv3-mobilenet-v3-large'].includes(id)) await shot(page, `preset-${id}`);
  }
});

test('?preset= opens a preset; a bad one says so', async ({ page }) => {
  await page.goto('/?preset=vgg16');
  await expect(page.getByTestId('total-params')).toHaveText('Total params: 138,357,544 (553.43 MB)');
  await page.goto('/?preset=nope');
  await expect(page.getByTestId('notice')).toContainText('no preset called "nope"');
});

test('?design= opens a same-origin URL and refuses others', async ({ page }) => {
  await page.route((url) => url.pathname === '/shared/tiny.convas.json', (route) => route.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({
      format: 'convas.design', version: 1, name: 'Tiny from a URL',
      nodes: [
        { id: 'in', kind: 'input', params: { shape: [4] } },
        { id: 'fc', kind: 'dense', params: { units: 2 } },
      ],
      edges: [{ id: 'e1', source: 'in', target: 'fc' }],
    }),
  }));
  await page.goto('/?design=/shared/tiny.convas.json');
  await expect(page.getByTestId('design-title')).toHaveText('Tiny from a URL');
  await expect(page.getByTestId('total-params')).toContainText('Total params: 10 ');
  await page.goto('/?design=/presets-not-served.json');
  await expect(page.getByTestId('notice')).toContainText('Could not open the requested design');
  await expect(page.getByTestId('design-title')).toHaveText('Tiny from a URL');
  await page.goto('/?design=https://example.com/x.convas.json');
  await expect(page.getByTestId('notice')).toContainText('designs load only from this site');
});

test('the summary table selects a layer when a row is clicked, and sorts', async ({ page }) => {
  await page.goto('/?preset=vgg16');
  await expect(page.getByTestId('total-params')).toContainText('138,357,544');
  await page.getByTestId('row-fc1').click();
  await expect(page.getByTestId('inspector')).toContainText('Dense');
  await expect(page.getByTestId('inspector-params')).toHaveText('102,764,544');
  await page.getByRole('button', { name: 'Params' }).click();
  await expect(page.locator('.summary-table tbody tr').first()).toHaveAttribute('data-testid', 'row-fc1');
  await expect(page.locator('.group-row')).toHaveCount(0);
  await page.getByTestId('stat-select').selectOption('params');
  await expect(page.getByTestId('node-fc1').locator('.layer-bar > div')).toHaveAttribute('style', /width: 100%/);
  await shot(page, 'vgg16-sorted');
  await page.getByTestId('tab-chart').click();
  await expect(page.getByTestId('bar-chart').locator('.chart-row').first()).toContainText('block1_conv1');
  await expect(page.getByTestId('bar-chart')).toContainText('102.76 M 74.3%');
  await shot(page, 'vgg16-chart');
  // per group: the classifier's three dense layers hold 89% of the weights
  await page.getByTestId('chart-by-group').check();
  await expect(page.getByTestId('bar-chart').locator('.chart-row')).toHaveCount(6);
  await expect(page.getByTestId('bar-chart').locator('.chart-row').last()).toContainText('Classifier · 3 layers');
  await expect(page.getByTestId('bar-chart')).toContainText('123.64 M 89.4%');
  // Ctrl+F finds a layer and selects it
  await page.getByTestId('canvas').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+f');
  await page.keyboard.type('block5_conv3');
  await expect(page.getByTestId('find-count')).toHaveText('1/1');
  await expect(page.getByTestId('inspector')).toContainText('block5_conv3');
  await expect(page.getByTestId('node-block5_conv3')).toBeInViewport();
});

test('Xception reads as separable convs; the advice of the design opened before it does not linger', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('/?preset=dense-block');
  await expect(page.getByTestId('total-params')).toContainText('227,840');
  await page.getByTestId('tab-advice').click();
  await expect(page.getByTestId('advice-list')).toContainText('transition.pool');
  await page.getByTestId('presets-button').click();
  await page.getByTestId('preset-xception').click();
  await expect(page.getByTestId('total-params')).toHaveText('Total params: 22,910,480 (91.64 MB)');
  // at once (read once, not waited for), before the new design's advice is found: nothing names a layer of the
  // design that was closed
  expect(await page.getByTestId('advice-list').count()).toBe(0);
  expect(await page.getByTestId('tab-advice').textContent()).toBe('Advice');
  // Xception's own advice, found for it: MobileNet's rule on block1_conv2 (a plain 3×3 conv, 32 → 64: the one with
  // ≥ 32 input channels; the rest of Xception is separable already), nothing of the dense block's
  await expect(page.getByTestId('advice-list')).toContainText('block1_conv2', { timeout: 20_000 });
  await expect(page.getByTestId('advice-list')).not.toContainText('transition.pool');
  // the entry flow's first separable conv: 3×3 'same', 64 → 128 channels at 147×147, no bias (BN follows)
  await page.getByTestId('find-input').fill('block2_sepconv1');
  await page.getByTestId('find-input').press('Escape');
  const sep = page.getByTestId('node-block2_sepconv1');
  await expect(sep).toContainText('sep 3×3 same · 128');
  // 3·3·64 + 64·128 (Keras: block2_sepconv1 has 8,768 params)
  await expect(sep).toContainText('8,768 params');
  await expect(page.getByTestId('row-block2_sepconv1')).toContainText('147×147×128');
  await sep.click();
  await expect(page.getByTestId('explain')).toContainText('params = 3·3·64 + 64·128 = 8,768  (depthwise + pointwise)');
  await shot(page, 'preset-xception-block2');
});
