import { expect, test } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from '../tools/chromium.mjs';

// A browser started without the WebGPU flags (and without a GPU) offers no adapter: the page must
// explain what to do, and still show the data.
test.use({
  launchOptions: {
    executablePath: chromiumExecutable(),
    args: [...chromiumArgs.filter((a) => !a.includes('webgpu') && !a.includes('swiftshader') && !a.includes('Vulkan')), '--disable-gpu'],
  },
});

test('without WebGPU the page explains what to do instead of going blank', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('alert', { name: 'WebGPU unavailable' })).toContainText('--enable-unsafe-webgpu');
  await expect(page.getByRole('status', { name: 'GPU adapter' })).toHaveText('GPU: unavailable');
  await expect(page.getByRole('img', { name: /^Image 1, label 7$/ })).toBeVisible();

  // The design tools need no GPU: edit a layer and read its shape, parameters and the summary.
  const conv = page.getByRole('group', { name: /^Layer 1: conv2d / });
  await conv.getByLabel('Filters K').fill('8');
  await expect(conv.getByRole('status', { name: 'Output shape' })).toHaveText('28×28×8');
  await expect(conv.getByRole('status', { name: 'Parameters' })).toHaveText('80');
  await conv.getByLabel('Kernel F').fill('5');
  await expect(conv.getByRole('status', { name: 'Output shape' })).toHaveText('26×26×8');
  await expect(conv.getByRole('status', { name: 'Parameters' })).toHaveText('208');
  await expect(page.getByRole('table', { name: /Model summary/ }).getByRole('row', { name: /conv1/ })).toContainText('26×26×8');
  // F = 5 leaves pool2 a 13×13 input that a 2×2 window of stride 2 doesn't fit: said on the layer and
  // by Export PyTorch. Undo makes it fit again.
  await expect(page.getByRole('group', { name: /^Layer \d+: max-pool pool2$/ })).toContainText("doesn't fit");
  await expect(page.getByRole('region', { name: 'Save, load and export' })).toContainText('Export PyTorch: the design does not fit');
  await page.keyboard.press('Control+z');
  await expect(conv.getByRole('status', { name: 'Output shape' })).toHaveText('28×28×8');
  // Training and weights wait for a GPU, and say so; model.py and train.py can still be exported.
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save weights' })).toBeDisabled();
  await expect(page.getByRole('region', { name: 'Save, load and export' })).toContainText('WebGPU is unavailable');
  const [py] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PyTorch' }).click()]);
  expect(py.suggestedFilename()).toMatch(/-pytorch\.zip$/);
});
