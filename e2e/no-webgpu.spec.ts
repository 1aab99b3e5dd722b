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
});
