import { expect, test, type Page } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from '../tools/chromium.mjs';

// Collect a dataset with a camera, class by class: Chromium's fake camera (a moving test pattern,
// permission granted without asking) stands in for a webcam. A refused permission says so.

test.use({
  launchOptions: {
    executablePath: chromiumExecutable(),
    headless: true,
    args: [...chromiumArgs, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  },
});

const builder = (page: Page) => page.getByRole('region', { name: 'Your images' });
const datasetStatus = (page: Page) => page.getByRole('status', { name: 'Dataset status' });

/** The pixels of capture thumbnail `i` (0-based), read back through a canvas. */
const thumbPixels = (page: Page, i: number) =>
  builder(page).getByRole('img', { name: new RegExp(`^Capture ${i + 1} of `) }).evaluate((el) => {
    const img = el as HTMLImageElement;
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    return Array.from(ctx.getImageData(0, 0, c.width, c.height).data);
  });

test('capture frames of two classes with the camera and build a dataset from them', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await builder(page).getByText('…or capture examples with a camera, class by class').click();
  await builder(page).getByRole('button', { name: 'Start camera' }).click();
  const video = builder(page).getByLabel('Camera preview');
  await expect.poll(() => video.evaluate((v) => (v as HTMLVideoElement).videoWidth)).toBeGreaterThan(0);

  const className = builder(page).getByRole('textbox', { name: 'Class of the next capture' });
  for (const name of ['left', 'right']) {
    await className.fill(name);
    for (let i = 0; i < 3; i++) {
      // By mouse for one class, by keyboard for the other: either way one press is one capture.
      const capture = builder(page).getByRole('button', { name: `Capture to "${name}"` });
      if (name === 'left') await capture.click();
      else await capture.press('Enter');
      // The fake camera's pattern moves between frames: wait for a later frame before the next capture
      // (a fixed pause is not enough on a loaded CPU, where the video may stall).
      const shown = await video.evaluate((v) => (v as HTMLVideoElement).currentTime);
      await expect.poll(() => video.evaluate((v) => (v as HTMLVideoElement).currentTime), { timeout: 10_000 }).toBeGreaterThan(shown + 0.1);
    }
  }
  await expect(builder(page).getByRole('list', { name: 'Captures collected' })).toHaveText(/left: 3 captures\s*right: 3 captures/);
  await expect(builder(page).getByRole('img', { name: /^Capture \d of / })).toHaveCount(6);
  // A capture is the frame's centred square, and the frames differ (a stalled preview on a loaded
  // machine can repeat a frame or two, so some capture differs from the first, not each one).
  const thumbs = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => thumbPixels(page, i)));
  expect(Math.sqrt(thumbs[0]!.length / 4)).toBe(96);
  expect(thumbs.slice(1).some((t) => t.some((v, k) => v !== thumbs[0]![k]))).toBe(true);
  // Picking a class already collected sets the box back to it.
  await builder(page).getByRole('button', { name: 'left', exact: true }).click();
  await expect(className).toHaveValue('left');

  await builder(page).getByRole('button', { name: 'Build dataset from 6 captures' }).click();
  await expect(datasetStatus(page)).toHaveText(/Built "camera": 2 classes, 4 training and 2 test images of 3×32×32\./, { timeout: 60_000 });
  const perClass = builder(page).getByRole('table', { name: 'Images per class' });
  await expect(perClass.getByRole('row', { name: /left 2 1/ })).toBeVisible();
  await expect(perClass.getByRole('row', { name: /right 2 1/ })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Dataset' })).toHaveValue('own');
  // Built: the captures are let go of; the camera still runs for more.
  await expect(builder(page).getByRole('list', { name: 'Captures collected' })).toHaveCount(0);
  // Held down, the button keeps capturing (a burst); discarding lets the burst go.
  await className.fill('burst');
  const capture = builder(page).getByRole('button', { name: 'Capture to "burst"' });
  // hover() scrolls the button into view and waits for it to be stable: the built dataset's table
  // reshapes the page, and a press by viewport coordinates could land beside the button.
  await capture.hover();
  await page.mouse.down();
  await expect(builder(page).getByRole('list', { name: 'Captures collected' })).toHaveText(/burst: \d+ capture/);
  await page.waitForTimeout(900);
  await page.mouse.up();
  // A capture pressed just before the release may still be encoding: the count settles when none is.
  await expect(capture).toHaveAttribute('aria-busy', 'false');
  const burst = Number(/burst: (\d+) captures/.exec((await builder(page).getByRole('list', { name: 'Captures collected' }).textContent()) ?? '')?.[1]);
  expect(burst).toBeGreaterThanOrEqual(3);
  await page.waitForTimeout(500);
  await expect(builder(page).getByRole('list', { name: 'Captures collected' })).toHaveText(`burst: ${burst} captures`); // stopped on release
  await builder(page).getByRole('button', { name: 'Discard captures' }).click();
  await expect(builder(page).getByRole('list', { name: 'Captures collected' })).toHaveCount(0);
  await builder(page).getByRole('button', { name: 'Stop camera' }).click();
  await expect(builder(page).getByRole('button', { name: 'Start camera' })).toBeVisible();
  // Closing the panel turns a running camera off too (its tracks end).
  await builder(page).getByRole('button', { name: 'Start camera' }).click();
  await expect.poll(() => video.evaluate((v) => (v as HTMLVideoElement).videoWidth)).toBeGreaterThan(0);
  const track = await video.evaluateHandle((v) => ((v as HTMLVideoElement).srcObject as MediaStream).getVideoTracks()[0]!);
  await builder(page).getByText('…or capture examples with a camera, class by class').click();
  await expect.poll(() => track.evaluate((t) => t.readyState)).toBe('ended');
  expect(errors).toEqual([]);
});

test('a refused camera permission is said plainly', async ({ page }) => {
  await page.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });
  await page.goto('/');
  await builder(page).getByText('…or capture examples with a camera, class by class').click();
  await builder(page).getByRole('button', { name: 'Start camera' }).click();
  await expect(builder(page).getByRole('alert', { name: 'Camera problem' })).toContainText('Camera permission was refused');
  await expect(builder(page).getByRole('button', { name: 'Start camera' })).toBeEnabled();
});
