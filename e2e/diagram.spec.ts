import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

// The network drawn as volumes: it follows every edit, selects a layer by click or keyboard, switches
// between the lecture's H×W×C and the code's C×H×W, and saves itself as an SVG file.

test('the drawing follows edits, selects layers, switches notation and exports SVG', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  const drawing = page.getByRole('group', { name: /^Network drawing/ });
  await expect(drawing.getByRole('img', { name: 'input: 28×28×1' })).toBeVisible();
  const conv1 = drawing.getByRole('button', { name: 'Select conv1 (conv2d + relu): 28×28×32' });
  await expect(conv1).toBeVisible();
  await expect(drawing.getByRole('button', { name: 'Select fc (dense): 10' })).toBeVisible();
  // The filter window is drawn on the input of each conv and pool (4 in the reference CNN).
  await expect(drawing.locator('rect.win')).toHaveCount(4);

  // An edit redraws it.
  const card = page.getByRole('group', { name: /^Layer 1: conv2d conv1$/ });
  await card.getByLabel('Filters K').fill('8');
  await expect(drawing.getByRole('button', { name: 'Select conv1 (conv2d + relu): 28×28×8' })).toBeVisible();
  await expect(card.getByRole('status', { name: 'Output shape' })).toHaveText('28×28×8');

  // Click and keyboard select a layer (the inspector follows).
  await drawing.getByRole('button', { name: /^Select pool1 / }).click();
  await expect(page.getByRole('heading', { name: /^Inspector: pool1/ })).toBeVisible();
  // The dense layer is a thin bar: a click in the middle of its column (between bar and label) selects it.
  await drawing.getByRole('button', { name: /^Select fc / }).click();
  await expect(page.getByRole('heading', { name: /^Inspector: fc/ })).toBeVisible();
  await drawing.getByRole('button', { name: /^Select conv2 / }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: /^Inspector: conv2/ })).toBeVisible();
  await expect(drawing.getByRole('button', { name: /^Select conv2 / })).toHaveAttribute('aria-pressed', 'true');

  // The code's order, everywhere on the page; then back.
  await page.getByRole('combobox', { name: 'Shape notation' }).selectOption({ label: 'C×H×W (code)' });
  await expect(card.getByRole('status', { name: 'Output shape' })).toHaveText('8×28×28');
  await expect(drawing.getByRole('button', { name: 'Select conv1 (conv2d + relu): 8×28×28' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Shape notation' }).selectOption({ label: 'H×W×C (lecture)' });
  await expect(card.getByRole('status', { name: 'Output shape' })).toHaveText('28×28×8');

  // Export SVG: a standalone file with the boxes, the labels and its styles.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export the drawing as SVG' }).click()]);
  expect(download.suggestedFilename()).toBe('network.svg');
  const svg = readFileSync((await download.path())!, 'utf8');
  expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toContain('28×28×8');
  expect(svg).toContain('<style>');
  expect(svg).toContain('class="front"');
  expect(errors).toEqual([]);
});
