import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';

// Consistent signals (issue 17, point 5): a box holding text that does not parse is reported the same
// way next to the box, under Train and in the inspector (the last valid value stays in force); a damaged
// data file says "damaged or truncated" and the test images that loaded still show; a saved checkpoint
// brings its number of training images, so a fresh page counts the same "step N of M".

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const status = (page: Page) => page.getByRole('status', { name: 'Training status' });

async function plainMlp(page: Page) {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'Plain MLP' });
  await expect(button(page, 'Train')).toBeEnabled({ timeout: 120_000 });
}

test('an invalid entry: the card, the hint under Train and the inspector all say the last valid value stays in force', async ({ page }, info) => {
  await plainMlp(page);
  const train = button(page, 'Train');
  await expect(train).toHaveAccessibleDescription(/The design fits: ready to train/);
  const fc1 = page.getByRole('group', { name: /: dense fc1$/ });
  await fc1.getByLabel('Units').fill('12x');
  await expect(fc1.getByRole('alert')).toBeVisible();
  const said = 'fc1 Units holds an entry that is not valid: the last valid value, 128, stays in force until it is fixed.';
  await expect(train).toHaveAccessibleDescription(new RegExp(`^${said.replace(/[.()]/g, '\\$&')}`));
  await expect(train).not.toHaveAccessibleDescription(/The design fits/);
  await fc1.click({ position: { x: 5, y: 5 } });
  await expect(page.getByRole('note', { name: 'Invalid entry' })).toContainText('fc1 Units holds an entry that is not valid: the last valid value, 128, stays in force');
  for (const [name, size] of [['laptop', { width: 1366, height: 768 }], ['phone', { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(size);
    await page.getByRole('main').screenshot({ path: info.outputPath(`invalid-entry-${name}.png`) });
  }
  // A training box follows the same rule.
  await page.getByRole('textbox', { name: 'Learning rate', exact: true }).fill('abc');
  await expect(train).toHaveAccessibleDescription(/fc1 Units holds an entry that is not valid.*\(1 more box too\)/);
  await page.getByRole('textbox', { name: 'Learning rate', exact: true }).fill('0.05');
  await fc1.getByLabel('Units').fill('64');
  await expect(train).toHaveAccessibleDescription(/The design fits: ready to train/);
  await expect(page.getByRole('note', { name: 'Invalid entry' })).toHaveCount(0);
});

test('a damaged training file says "damaged or truncated", and the test images still show', async ({ page, context }, info) => {
  const real = await readFile('public/data/mnist/train-labels-idx1-ubyte.gz');
  // The training labels cut short: inflating them fails, and the browser's own words for that are a
  // bare "Failed to fetch" (the unit tests cover a download the browser cannot decode itself).
  await context.route('**/data/mnist/train-labels-idx1-ubyte.gz', (route) =>
    route.fulfill({ status: 200, headers: { 'content-type': 'application/gzip', 'content-encoding': 'gzip' }, body: route.request().method() === 'HEAD' ? '' : real.subarray(0, 2000) }),
  );
  await page.goto('/');
  const card = page.getByRole('alert').filter({ hasText: 'train-labels-idx1-ubyte.gz' });
  await expect(card).toContainText('train-labels-idx1-ubyte.gz: is damaged or truncated', { timeout: 120_000 });
  await expect(card).not.toContainText('Failed to fetch');
  await expect(card).toContainText('npm run data');
  await expect(page.getByRole('button', { name: 'Look inside image 2 (label 2)' })).toBeVisible();
  await page.getByRole('region', { name: 'Look inside' }).screenshot({ path: info.outputPath('damaged-data.png') });
});

test('a checkpoint saved on 1,000 images loads on a fresh page as the same "step N of M"', async ({ page, browser }) => {
  await plainMlp(page);
  await page.getByRole('combobox', { name: 'Training images' }).selectOption({ label: 'First 1,000' });
  for (let i = 1; i <= 2; i++) {
    await expect(button(page, 'Step')).toBeEnabled({ timeout: 120_000 });
    await button(page, 'Step').click();
    await expect(status(page)).toContainText(`Step ${i} of`, { timeout: 120_000 });
  }
  const line = /Step 2 of [\d,]+/.exec((await status(page).textContent())!)![0];
  const [saved] = await Promise.all([page.waitForEvent('download'), button(page, 'Save weights').click()]);
  const bytes = await readFile((await saved.path())!);

  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto('/');
  await expect(fresh.getByRole('combobox', { name: 'Training images' })).toHaveValue('all');
  await expect(button(fresh, 'Train')).toBeEnabled({ timeout: 120_000 });
  await fresh.getByLabel('Load weights').setInputFiles({ name: saved.suggestedFilename(), mimeType: 'application/octet-stream', buffer: bytes });
  await expect(fresh.getByRole('status', { name: 'File result' })).toContainText('Loaded', { timeout: 60_000 });
  await expect(status(fresh)).toContainText(line);
  await expect(fresh.getByRole('combobox', { name: 'Training images' })).toHaveValue('1000');
});
