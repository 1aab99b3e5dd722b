import { expect, test } from '@playwright/test';

// Never silent: the two long waits of a run say what they wait for and how far they are. Building
// names its stage and counts the GPU pipelines compiled of the total; the end-of-epoch evaluation counts the test
// images done of 10,000 with a bar, while "Time left" keeps counting.

test('building and the end-of-epoch evaluation show their progress', async ({ page }) => {
  // A CPU adapter on a busy machine can take minutes to compile the pipelines and evaluate.
  test.setTimeout(900_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  const status = page.getByRole('status', { name: 'Training status' });
  await expect(status).toContainText('Press Train to build the network on the GPU.');
  await expect(page.getByRole('img', { name: 'Image 1, label 7' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Training images' }).selectOption({ label: 'First 1,000' });
  await page.getByRole('textbox', { name: 'Epochs', exact: true }).fill('1');
  await page.getByRole('button', { name: 'Train', exact: true }).click();

  // The build: its stage, the pipelines compiled so far of the total counted before compiling (with
  // the kernel compiled last and the seconds), and a bar that shows the same; never "Press Train" meanwhile.
  await expect(status).toContainText('State: building');
  await expect(status).toContainText(/Building: (putting the dataset on the GPU|compiling GPU pipelines and planning every pass)/);
  await expect(status).not.toContainText('Press Train');
  await expect(page.getByRole('progressbar', { name: 'Build progress' })).toBeVisible();
  // One reading of the line and the bar together (the build moves on between two reads).
  const read = () =>
    status.evaluate((el) => ({
      line: el.querySelector('[aria-label="Pipelines compiled"]')?.textContent ?? '',
      bar: ['aria-valuenow', 'aria-valuemax', 'aria-valuetext'].map((a) => el.querySelector('[aria-label="Build progress"]')?.getAttribute(a) ?? ''),
    }));
  const line = /^Compiling GPU pipelines: ([1-9]\d*) of ([1-9]\d*) \([a-z0-9-]+\)… \d+ s$/;
  let seen = await read();
  await expect.poll(async () => line.test((seen = await read()).line), { timeout: 300_000 }).toBe(true);
  const [, compiled, total] = line.exec(seen.line)!.map(Number);
  expect(compiled).toBeLessThanOrEqual(total!);
  expect(seen.bar).toEqual([String(compiled), String(total), `${compiled} of ${total} GPU pipelines compiled`]);

  // The evaluation at the end of the epoch: images done of 10,000, a bar, and time left that counts it.
  await expect(status).toContainText(/Evaluating test images [\d,]+ \/ 10,000/, { timeout: 400_000 });
  const bar = page.getByRole('progressbar', { name: 'Evaluation progress' });
  await expect(bar).toHaveAttribute('aria-valuemax', '10000');
  await expect(status).toContainText(/Time left: \d/);
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 120_000 }).toBeGreaterThan(0);
  await expect(status).toContainText('State: finished', { timeout: 300_000 });
  await expect(status).not.toContainText('Evaluating');
  expect(errors).toEqual([]);
});
