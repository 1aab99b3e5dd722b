import { expect, test } from '@playwright/test';

test('a new user sees the GPU adapter and real MNIST digits', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'convplay' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'GPU adapter' })).toContainText(/GPU: \S+/);
  await expect(page.getByRole('status', { name: 'GPU adapter' })).not.toContainText(/unavailable|Starting/);
  const images = page.getByRole('img', { name: /^Image \d+, label \d$/ });
  await expect(images).toHaveCount(16);
  // The first MNIST test images are 7, 2, 1, 0, 4.
  await expect(images.nth(0)).toHaveAccessibleName('Image 1, label 7');
  await expect(images.nth(4)).toHaveAccessibleName('Image 5, label 4');
  // The canvas really has ink: some pixels bright, most dark.
  const stats = await images.nth(0).evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let bright = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! > 200) bright++;
    return { bright, total: d.length / 4 };
  });
  expect(stats.bright).toBeGreaterThan(40);
  expect(stats.bright).toBeLessThan(stats.total / 2);
  expect(errors).toEqual([]);
});
