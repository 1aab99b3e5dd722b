import { expect, test, type Page } from '@playwright/test';

// Reliability: the GPU device is lost mid-run (the engine recovers and Train goes on), the engine worker
// crashes (the page restarts it and restores the weights it kept), and a run diverges (the page says at
// which step, suggests a lower learning rate, and training resumes once it is lowered).
//
// Test hooks: with `?debug=1` in the page URL, <cp-app> installs `window.__convplayDebug` with
// `loseDevice()` (destroys the worker's GPUDevice) and `crashWorker()` (an uncaught error in the worker).

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const status = (page: Page) => page.getByRole('status', { name: 'Training status' });
const prediction = (page: Page) => page.getByRole('status', { name: 'Prediction' });
const classProbabilities = (page: Page) => page.getByRole('list', { name: 'Class probabilities' }).getByRole('listitem').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));

async function currentStep(page: Page): Promise<number> {
  const m = /Step ([\d,]+) of/.exec((await status(page).textContent()) ?? '');
  return m ? Number(m[1]!.replace(/,/g, '')) : -1;
}

/** Plain MLP, first 1,000 images, enough epochs to keep running. */
async function mlp(page: Page) {
  await page.goto('/?debug=1');
  await page.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'Plain MLP' });
  await page.getByRole('combobox', { name: 'Training images' }).selectOption({ label: 'First 1,000' });
  await page.getByRole('textbox', { name: 'Epochs', exact: true }).fill('100');
  await expect(button(page, 'Train')).toBeEnabled({ timeout: 120_000 });
}

test('the GPU device is lost while training: a notice says where it recovered, and Train goes on', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await mlp(page);
  await button(page, 'Train').click();
  await expect.poll(() => currentStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(20);

  await page.evaluate(() => window.__convplayDebug!.loseDevice());
  const notice = page.getByRole('alert', { name: 'GPU device lost' });
  await expect(notice).toContainText(/The GPU device was lost.*recovered at step \d+/);
  const recovered = Number(/recovered at step ([\d,]+)/.exec((await notice.textContent())!)![1]!.replace(/,/g, ''));
  await expect(status(page)).toContainText('State: paused');
  expect(await currentStep(page)).toBe(recovered);

  await button(page, 'Train').click();
  await expect(status(page)).toContainText('State: training');
  await expect.poll(() => currentStep(page), { timeout: 120_000 }).toBeGreaterThan(recovered + 10);
  await button(page, 'Pause').click();
  await expect(status(page)).toContainText('State: paused');
  await button(page, 'Dismiss').click();
  await expect(notice).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the engine worker crashes: it is restarted, and the weights it kept are restored', async ({ page }) => {
  await mlp(page);
  await button(page, 'Train').click();
  await expect.poll(() => currentStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(10);
  await button(page, 'Pause').click();
  await expect(status(page)).toContainText('State: paused');
  const step = await currentStep(page);
  // The page keeps a copy of the weights at each pause.
  await expect(page.getByRole('status', { name: 'Recovery copy' })).toHaveText(`Weights kept in memory for recovery: step ${step}.`);
  await page.getByRole('button', { name: 'Look inside image 2 (label 2)' }).click();
  await expect(page.getByText('Looking at test image 2.')).toBeVisible();
  await page.waitForTimeout(500);
  const before = (await prediction(page).textContent())!;
  const probs = await classProbabilities(page);
  const hash = await page.evaluate(() => location.hash);

  await page.evaluate(() => window.__convplayDebug!.crashWorker());
  const notice = page.getByRole('alert', { name: 'Engine crashed' });
  await expect(notice).toContainText('The engine worker crashed');
  await expect(notice).toContainText('A fresh engine was started; your design is kept.');
  expect(await page.evaluate(() => location.hash)).toBe(hash);
  await expect(page.getByRole('status', { name: 'GPU adapter' })).not.toHaveText(/unavailable|Starting/);

  await expect(button(page, 'Restore last saved weights')).toBeEnabled();
  await button(page, 'Restore last saved weights').click();
  await expect(notice).toHaveCount(0);
  await expect(status(page)).toContainText(`Step ${step} of`);
  await expect(prediction(page)).toHaveText(before);
  expect(await classProbabilities(page)).toEqual(probs);

  // And training goes on from there.
  await button(page, 'Step').click();
  await expect(status(page)).toContainText(`Step ${step + 1} of`);
});

test('a run that diverges names the step and suggests a lower learning rate; lowering it resumes training', async ({ page }) => {
  // The divergence guard's own test design (src/train/divergence.test.ts): a small strided conv net,
  // SGD with momentum 0.9 at learning rate 10 blows up within a few dozen steps.
  await page.goto('/?debug=1');
  await page.getByRole('button', { name: 'Empty network' }).click();
  await page.getByRole('button', { name: 'Add conv2d' }).click();
  await page.getByRole('button', { name: 'Add max-pool' }).click();
  await page.getByRole('button', { name: 'Add dense' }).click();
  const conv = page.getByRole('group', { name: /^Layer 1: conv2d / });
  await conv.getByLabel('Filters K').fill('4');
  await conv.getByLabel('Kernel F').fill('4');
  await conv.getByLabel('Stride S').fill('2');
  await conv.getByLabel('Padding P').fill('1');
  await conv.getByRole('combobox', { name: 'Activation' }).selectOption('relu');
  await expect(conv.getByRole('status', { name: 'Output shape' })).toHaveText('14×14×4');
  await page.getByRole('combobox', { name: 'Training images' }).selectOption({ label: 'First 10,000' });
  await page.getByRole('combobox', { name: 'Optimizer' }).selectOption({ label: 'SGD' });
  await page.getByRole('textbox', { name: 'Batch size', exact: true }).fill('50');
  await page.getByRole('textbox', { name: 'Seed', exact: true }).fill('3');
  await page.getByRole('textbox', { name: 'Learning rate', exact: true }).fill('10');
  await expect(page.getByRole('textbox', { name: 'Momentum', exact: true })).toHaveValue('0.9');
  await button(page, 'Train').click();
  const alert = page.getByRole('alert', { name: 'Training diverged' });
  await expect(alert).toContainText(/at step \d+/, { timeout: 150_000 });
  await expect(alert).toContainText(/lower the learning rate/i);
  await expect(status(page)).toContainText('State: diverged');
  const step = await currentStep(page);

  await page.getByRole('textbox', { name: 'Learning rate', exact: true }).fill('0.01');
  await button(page, 'Train').click();
  await expect(alert).toHaveCount(0);
  await expect.poll(() => currentStep(page), { timeout: 120_000 }).toBeGreaterThan(step + 10);
  await button(page, 'Pause').click();
  await expect(status(page)).toContainText('State: paused');
});

test('issue 17: a trained MLP pushed to lr 10 goes back to its healthy state, keeps it for recovery, and trains on', async ({ page }, info) => {
  // The learner's path from the issue: the plain MLP with fc1's activation set to none, SGD lr 0.05
  // (momentum 0.9), trained past step 40, paused, learning rate 10, Train.
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await mlp(page);
  await page.getByRole('group', { name: /: dense fc1$/ }).getByRole('combobox', { name: 'Activation' }).selectOption('');
  await expect(page.getByRole('textbox', { name: 'Learning rate', exact: true })).toHaveValue('0.05');
  await button(page, 'Train').click();
  await expect.poll(() => currentStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(40);
  await button(page, 'Pause').click();
  await expect(status(page)).toContainText('State: paused');
  const healthyStep = await currentStep(page);
  const recovery = page.getByRole('status', { name: 'Recovery copy' });
  await expect(recovery).toHaveText(`Weights kept in memory for recovery: step ${healthyStep}.`);
  const chartImg = page.getByRole('img', { name: /^Training loss chart:/ });
  const healthyLoss = Number(await chartImg.getAttribute('data-last-loss'));
  expect(healthyLoss).toBeLessThan(1.5);

  // The status line follows the learning rate as soon as it is changed, paused or not.
  await page.getByRole('textbox', { name: 'Learning rate', exact: true }).fill('10');
  await expect(status(page)).toContainText('lr 10.0');
  await button(page, 'Train').click();
  const alert = page.getByRole('alert', { name: 'Training diverged' });
  await expect(alert).toContainText(/diverged at step \d+/, { timeout: 120_000 });
  const text = (await alert.textContent())!;
  const broke = Number(/diverged at step (\d+)/.exec(text)![1]);
  const back = /went back to step (\d+) \(loss ([\d.]+)\)/.exec(text);
  expect(back, text).not.toBeNull();
  const restored = Number(back![1]);
  expect(restored).toBeGreaterThanOrEqual(healthyStep);
  expect(restored).toBeLessThan(broke);
  // The restored state's loss is the healthy level, not 1e32.
  expect(Number(back![2])).toBeLessThan(3 * healthyLoss + 0.1);
  await expect(alert).toContainText(/layer fc[12]/);
  await expect(status(page)).toContainText('State: diverged');
  await expect(status(page)).toContainText(`Step ${restored} of`);
  // The recovery copy is the restored, healthy state: never the blow-up.
  await expect(recovery).toHaveText(`Weights kept in memory for recovery: step ${restored}.`);
  // The chart marks the stretch and keeps the healthy curve readable.
  await expect(chartImg).toHaveAttribute('data-diverged', `${restored}-${broke}`);
  await expect(chartImg).toHaveAttribute('aria-label', new RegExp(`diverged at step ${broke}, went back to step ${restored}`));
  expect(Number(await chartImg.getAttribute('data-last-loss'))).toBeLessThan(3 * healthyLoss + 0.1);
  for (const [name, size] of [['laptop', { width: 1366, height: 768 }], ['phone', { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(size);
    await page.getByRole('region', { name: 'Training' }).screenshot({ path: info.outputPath(`diverged-${name}.png`) });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.getByRole('checkbox', { name: 'Log scale' }).check();
  await page.getByRole('region', { name: 'Loss chart' }).screenshot({ path: info.outputPath('diverged-log-scale.png') });
  await page.getByRole('checkbox', { name: 'Log scale' }).uncheck();

  // The suggestion is the last healthy rate; one click sets it, and training goes on from there.
  await page.getByRole('button', { name: 'Use learning rate 0.05' }).click();
  await expect(page.getByRole('textbox', { name: 'Learning rate', exact: true })).toHaveValue('0.05');
  await expect(status(page)).toContainText('lr 0.0500');
  await button(page, 'Train').click();
  await expect(alert).toHaveCount(0);
  await expect.poll(() => currentStep(page), { timeout: 120_000 }).toBeGreaterThan(restored + 20);
  await button(page, 'Pause').click();
  await expect(status(page)).toContainText('State: paused');
  await expect(page.getByRole('alert', { name: 'Training diverged' })).toHaveCount(0);
  expect(Number(await chartImg.getAttribute('data-last-loss'))).toBeLessThan(10 * healthyLoss);
  await page.getByRole('region', { name: 'Training' }).screenshot({ path: info.outputPath('resumed-laptop.png') });
  expect(errors).toEqual([]);
});
