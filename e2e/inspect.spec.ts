import { expect, test, type Page } from '@playwright/test';

// Look inside: after a short training, pick a test image, draw a digit (the prediction follows the
// drawing), and read the confusion matrix.

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const prediction = (page: Page) => page.getByRole('status', { name: 'Prediction' });

async function drawStroke(page: Page, points: [number, number][]) {
  const pad = page.getByRole('img', { name: /^Drawing pad/ });
  // Mouse coordinates are the viewport's: the pad must be on screen, wherever the layout puts it.
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(points[0]!));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
  await page.mouse.up();
}

test('after a short training, drawing on the pad changes the prediction; the confusion matrix has counts', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'Plain MLP' });
  await page.getByRole('combobox', { name: 'Training images' }).selectOption({ label: 'First 10,000' });
  await page.getByRole('textbox', { name: 'Epochs', exact: true }).fill('1');
  await button(page, 'Train').click();
  await expect(page.getByRole('status', { name: 'Training status' })).toContainText('State: finished', { timeout: 150_000 });

  // The first test image (a 7) is being looked at.
  await expect(prediction(page)).toHaveText(/^Prediction: \d \(\d+%\)$/);
  await expect(page.getByRole('list', { name: 'Class probabilities' }).getByRole('listitem')).toHaveCount(10);
  const before = await prediction(page).textContent();
  const fc2 = page.getByRole('img', { name: /^fc2 outputs:/ });
  const fc2Before = await fc2.getAttribute('aria-label');

  // Pick another test image with the keyboard.
  await page.getByRole('button', { name: 'Look inside image 3 (label 1)' }).focus();
  await page.keyboard.press('Enter');
  await expect(prediction(page)).not.toHaveText(before!);
  const forOne = await prediction(page).textContent();

  // Draw a zero: a big ring.
  const ring: [number, number][] = Array.from({ length: 25 }, (_, i) => {
    const a = (i / 24) * Math.PI * 2;
    return [0.5 + 0.28 * Math.sin(a), 0.5 - 0.36 * Math.cos(a)];
  });
  await drawStroke(page, ring);
  await expect(page.getByText('Looking at your drawing.')).toBeVisible();
  await expect(prediction(page)).not.toHaveText(forOne!);
  await expect(fc2).not.toHaveAttribute('aria-label', fc2Before!);
  const forRing = await prediction(page).textContent();

  // Clear, then draw a one: the prediction changes again.
  await button(page, 'Clear').click();
  await drawStroke(page, [[0.5, 0.12], [0.5, 0.5], [0.5, 0.88]]);
  await expect(prediction(page)).not.toHaveText(forRing!);
  // The pad really holds the stroke: a few percent of its pixels are ink (its size on screen varies).
  const ink = await page.getByRole('img', { name: /^Drawing pad/ }).evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let bright = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! > 128) bright++;
    return bright / (d.length / 4);
  });
  expect(ink).toBeGreaterThan(0.02);
  expect(ink).toBeLessThan(0.5);

  // The confusion matrix from the epoch's evaluation: 10,000 test images; cells are focusable.
  const table = page.getByRole('table', { name: /Confusion matrix/ });
  await expect(table).toBeVisible();
  const cells = table.getByRole('button', { name: /^True \d, predicted \d: \d+ images?$/ });
  await expect(cells).toHaveCount(100);
  const counts = await cells.evaluateAll((els) => els.map((e) => Number(e.textContent)));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(10_000);
  const cell = table.getByRole('button', { name: /^True 7, predicted 7:/ });
  await cell.focus();
  await page.keyboard.press('Enter');
  await expect(cell).toHaveAttribute('aria-pressed', 'true');
  expect(errors).toEqual([]);
});
