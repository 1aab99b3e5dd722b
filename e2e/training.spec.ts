import { expect, test, type Locator, type Page } from '@playwright/test';

// Training: a learner builds a tiny conv net, trains it on the first 1,000 MNIST images, watches the
// loss fall and the feature maps appear, pauses, resumes and resets. Everything through the UI.

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const chart = (page: Page) => page.getByRole('img', { name: /^Training loss chart:/ });
const status = (page: Page) => page.getByRole('status', { name: 'Training status' });

async function chartStep(page: Page): Promise<number> {
  return Number(await chart(page).getAttribute('data-step'));
}

/** Fraction of a canvas's pixels that differ from its first pixel (0 = blank). */
async function inked(c: Locator): Promise<number> {
  return c.evaluate((el) => {
    const canvas = el as HTMLCanvasElement;
    const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let differ = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - d[0]!) + Math.abs(d[i + 1]! - d[1]!) + Math.abs(d[i + 2]! - d[2]!) > 30) differ++;
    return differ / (d.length / 4);
  });
}

async function tinyConvNet(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Empty network' }).click();
  await page.getByRole('button', { name: 'Add conv2d' }).click();
  await page.getByRole('button', { name: 'Add max-pool' }).click();
  await page.getByRole('button', { name: 'Add dense' }).click();
  const conv = page.getByRole('group', { name: /^Layer 1: conv2d conv2d-1$/ });
  await conv.getByLabel('Filters K').fill('4');
  await expect(conv.getByRole('status', { name: 'Output shape' })).toHaveText('28×28×4');
  await page.getByRole('combobox', { name: 'Training images' }).selectOption({ label: 'First 1,000' });
  await page.getByRole('textbox', { name: 'Epochs', exact: true }).fill('30');
  await page.getByRole('textbox', { name: 'Learning rate', exact: true }).fill('0.01');
}

test('train a tiny conv net: the loss falls, feature maps appear; pause, resume, reset', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await tinyConvNet(page);
  await expect(chart(page)).toHaveAccessibleName(/step 0/);

  await expect(button(page, 'Train')).toBeEnabled();
  await button(page, 'Train').click();
  await expect(status(page)).toContainText(/State: training/);
  await expect(status(page)).toContainText(/samples\/s/);
  await expect(status(page)).toContainText(/GPU memory in use: [\d.,]+ (KiB|MiB)/);
  await expect.poll(() => chartStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(40);

  // The loss falls: the smoothed loss now is well under the first step's loss.
  const first = Number(await chart(page).getAttribute('data-first-loss'));
  const last = Number(await chart(page).getAttribute('data-last-loss'));
  expect(first).toBeGreaterThan(1.5);
  expect(last).toBeLessThan(first * 0.8);
  await expect(chart(page)).toHaveAccessibleName(/Training loss chart: step \d+, loss [\d.]+/);

  // Feature maps of the conv layer appear, with ink in them (refreshed live while training).
  const map = page.getByRole('img', { name: 'conv2d-1 channel 1 of 4' });
  await expect(map).toBeVisible();
  await expect.poll(() => inked(map)).toBeGreaterThan(0.05);
  await expect(page.getByRole('img', { name: /^conv2d-1 filters:/ })).toBeVisible();

  // Pause: the step stops moving.
  await button(page, 'Pause').click();
  await expect(status(page)).toContainText('State: paused');
  await expect(button(page, 'Pause')).toBeDisabled();
  const paused = await chartStep(page);
  await page.waitForTimeout(1500);
  expect(await chartStep(page)).toBe(paused);

  // Step: exactly one more batch.
  await button(page, 'Step').click();
  await expect.poll(() => chartStep(page)).toBe(paused + 1);
  await expect(status(page)).toContainText('State: paused');

  // Resume.
  await button(page, 'Train').click();
  await expect.poll(() => chartStep(page), { timeout: 60_000 }).toBeGreaterThan(paused + 5);
  await button(page, 'Pause').click();
  await expect(status(page)).toContainText('State: paused');

  // The learning rate changes mid-run: the chart marks it (a marker) and training goes on.
  const box = page.getByRole('textbox', { name: 'Learning rate', exact: true });
  await box.fill('abc');
  await expect(page.getByRole('alert').filter({ hasText: 'learning rate must be a number' })).toBeVisible();
  await box.fill('0.005');
  await expect(page.getByRole('alert').filter({ hasText: 'learning rate must be' })).toHaveCount(0);
  await expect(chart(page)).toHaveAttribute('data-markers', /^\d+: lr 0\.01 → 0\.005$/);
  await expect(chart(page)).toHaveAccessibleName(/1 setting change marked/);
  await button(page, 'Train').click();
  await expect.poll(() => chartStep(page), { timeout: 60_000 }).toBeGreaterThan((await chartStep(page)) + 2);
  await button(page, 'Pause').click();
  await expect(status(page)).toContainText('State: paused');

  // Reset: back to step 0, the old run kept on the chart for comparison.
  await button(page, 'Reset').click();
  await expect(chart(page)).toHaveAccessibleName(/step 0/);
  await expect(chart(page)).toHaveAccessibleName(/1 earlier run shown/);
  await expect(status(page)).toContainText(/Step 0 of/);

  const shot = await chart(page).screenshot();
  expect(shot.length).toBeGreaterThan(3000);
  expect(errors).toEqual([]);
});

// Headless Chromium never reports a page hidden (minimising its window over CDP, background targets and
// a second tab in front all leave visibilityState 'visible'), so this test plays the page's side of it:
// the document says it is hidden and fires visibilitychange, as a switched-away tab does. Training lives
// in the worker, so nothing should stop; the test proves the app does not pause itself when hidden and
// goes on when shown again.
test('training keeps going while the tab is hidden', async ({ page }) => {
  await tinyConvNet(page);
  await button(page, 'Train').click();
  await expect.poll(() => chartStep(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(5);
  const setHidden = (hidden: boolean) =>
    page.evaluate((h) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
  await setHidden(true);
  const atHide = await chartStep(page);
  // While hidden, steps keep arriving (a paused app would hold the step still).
  await expect.poll(() => chartStep(page), { timeout: 30_000 }).toBeGreaterThan(atHide + 5);
  await expect(status(page)).toContainText(/State: training/);
  await setHidden(false);
  const atShow = await chartStep(page);
  await expect.poll(() => chartStep(page), { timeout: 30_000 }).toBeGreaterThan(atShow);
  await expect(status(page)).toContainText(/State: training/);
  await button(page, 'Pause').click();
  await expect(status(page)).toContainText('State: paused');
});
