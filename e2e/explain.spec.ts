import { expect, test, type Page } from '@playwright/test';

// "See the arithmetic happen": after one training step, a learner clicks a cell of a conv map and
// follows its computation (window, weights, products, sums, bias = the map's value), moves the window
// with the arrow keys, then opens a pooling cell and the output layer's softmax and loss — with the
// mouse and with the keyboard.

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const status = (page: Page) => page.getByRole('status', { name: 'Training status' });
const explainer = (page: Page) => page.getByRole('region', { name: 'How this value was computed' });

async function smallConvNet(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Empty network' }).click();
  await page.getByRole('button', { name: 'Add conv2d' }).click();
  await page.getByRole('button', { name: 'Add max-pool' }).click();
  await page.getByRole('button', { name: 'Add dense' }).click();
  const conv = page.getByRole('group', { name: /^Layer 1: conv2d conv2d-1$/ });
  await conv.getByLabel('Filters K').fill('4');
  await expect(conv.getByRole('status', { name: 'Output shape' })).toHaveText('28×28×4');
  await page.getByRole('combobox', { name: 'Training images' }).selectOption({ label: 'First 1,000' });
  await button(page, 'Step').click();
  await expect(status(page)).toContainText('State: paused', { timeout: 120_000 });
  await expect(page.getByRole('img', { name: 'conv2d-1 channel 2 of 4' })).toBeVisible();
}

/** The number after "The engine's output:" style lines: the panel's own total and the engine's. */
async function totals(page: Page, label: string): Promise<string> {
  return (await explainer(page).getByRole('status', { name: label }).textContent()) ?? '';
}

test('click a conv cell: window, weights, products and sums add up to the map value; arrows slide the window', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await smallConvNet(page);

  // Click the cell at row 0, column 5 of map 2: its window hangs over the top padding.
  const map = page.getByRole('img', { name: 'conv2d-1 channel 2 of 4' });
  const box = (await map.boundingBox())!;
  await map.click({ position: { x: box.width * (5.5 / 28), y: box.height * (0.6 / 28) } });
  await expect(explainer(page)).toContainText('How conv2d-1 (conv2d) map 2 of 4, row 0, column 5 was computed');
  await expect(explainer(page)).toContainText('(partly on the padding)');
  await expect(explainer(page).getByRole('status', { name: 'Convolution total' })).toContainText('✓ equal');
  const windowCells = explainer(page).getByRole('table', { name: 'Input window, channel 1' }).getByRole('cell');
  await expect(windowCells).toHaveCount(9);
  await expect(windowCells.nth(0)).toHaveAttribute('title', 'padding (zero)');
  await expect(explainer(page).getByRole('img', { name: /^Receptive field: input rows 0–1, columns 4–6$/ })).toBeVisible();
  await expect(map).toHaveClass(/picked/);
  await page.screenshot({ path: 'test-results/explain-conv-laptop.png', fullPage: false });
  await explainer(page).screenshot({ path: 'test-results/explain-conv-panel.png' });

  // The keyboard: the panel has focus after a click; → moves the window one stride to the right.
  const before = await totals(page, 'Convolution total');
  await page.keyboard.press('ArrowRight');
  await expect(explainer(page)).toContainText('row 0, column 6 was computed');
  await page.keyboard.press('ArrowDown');
  await expect(explainer(page)).toContainText('row 1, column 6 was computed');
  await expect(explainer(page).getByRole('img', { name: /^Receptive field: input rows 0–2, columns 5–7$/ })).toBeVisible();
  await expect(explainer(page).getByRole('status', { name: 'Convolution total' })).toContainText('✓ equal');
  expect(await totals(page, 'Convolution total')).not.toBe(before);
  await page.keyboard.press('PageDown');
  await expect(explainer(page)).toContainText('map 3 of 4, row 1, column 6');
  // Buttons do the same.
  await explainer(page).getByRole('button', { name: 'Move left' }).click();
  await expect(explainer(page)).toContainText('map 3 of 4, row 1, column 5');

  // Focus another map and press Enter: its centre cell.
  await page.getByRole('img', { name: 'conv2d-1 channel 4 of 4' }).focus();
  await page.keyboard.press('Enter');
  await expect(explainer(page)).toContainText('map 4 of 4, row 14, column 14');
  await expect(explainer(page).getByRole('status', { name: 'Convolution total' })).toContainText('✓ equal');

  // A pooling cell: the max is marked and equals the map.
  await page.getByRole('img', { name: 'max-pool-1 channel 1 of 4' }).focus();
  await page.keyboard.press('Enter');
  await expect(explainer(page)).toContainText('How max-pool-1 (max-pool) map 1 of 4, row 7, column 7');
  await expect(explainer(page).getByRole('status', { name: 'Pooling result' })).toContainText('✓ equal');
  await expect(explainer(page).getByRole('table', { name: 'Pooling window' }).getByRole('cell', { name: /★/ })).toHaveCount(1);

  // The output layer: click unit 4 of the strip; the softmax table and the loss −log p(label).
  const out = page.getByRole('img', { name: /^dense-1 outputs:/ });
  const ob = (await out.boundingBox())!;
  await out.click({ position: { x: ob.width * (3.5 / 10), y: ob.height / 2 } });
  await expect(explainer(page)).toContainText('How dense-1 (dense) unit 4 of 10 was computed');
  await expect(explainer(page).getByRole('status', { name: 'Dense total' })).toContainText('✓ equal');
  await expect(explainer(page).getByRole('table', { name: 'Largest contributions w·x' }).getByRole('row')).toHaveCount(14);
  await expect(explainer(page).getByRole('table', { name: 'Softmax: logits to probabilities' })).toContainText('7 (label)');
  await expect(explainer(page).getByLabel('Loss')).toContainText(/loss = −log p\(7\) = −log [\d.]+ = [\d.]+/);
  await page.keyboard.press('ArrowRight');
  await expect(explainer(page)).toContainText('unit 5 of 10');
  await explainer(page).screenshot({ path: 'test-results/explain-dense-panel.png' });

  // Another test image: the explanation follows it.
  await page.getByRole('button', { name: 'Look inside image 3 (label 1)' }).click();
  await expect(explainer(page).getByRole('table', { name: 'Softmax: logits to probabilities' })).toContainText('1 (label)');

  await explainer(page).getByRole('button', { name: 'Close the explanation' }).click();
  await expect(explainer(page)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the conv panel fits a phone screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await smallConvNet(page);
  await page.getByRole('img', { name: 'conv2d-1 channel 1 of 4' }).focus();
  await page.keyboard.press('Enter');
  await expect(explainer(page).getByRole('status', { name: 'Convolution total' })).toContainText('✓ equal');
  await explainer(page).screenshot({ path: 'test-results/explain-conv-phone.png' });
  const overflow = await explainer(page).evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
});

test("the inspector's fully-connected contrast counts weights and biases apart, with separators", async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Empty network' }).click();
  await page.getByLabel('Input channels C').fill('3');
  await page.getByLabel('Input height H').fill('32');
  await page.getByLabel('Input width W').fill('32');
  await page.getByRole('button', { name: 'Add conv2d' }).click();
  const conv = page.getByRole('group', { name: /^Layer 1: conv2d conv2d-1$/ });
  await conv.getByLabel('Filters K').fill('10');
  await conv.getByLabel('Filters K').click();
  const inspector = page.getByRole('region', { name: /Inspector/ });
  await expect(inspector.getByLabel('Fully-connected arithmetic')).toHaveText(/32×32×3 → 32×32×10: 3,072 · 10,240 = 31,457,280 weights\s+\+ 10,240 biases = 31,467,520 parameters/);
  // 31,467,520 / 280 = 112,384: a ratio that needs its separators.
  await expect(inspector.getByLabel('Fully-connected ratio')).toContainText('112,384× the 280 this layer has');
});

test('the loss chart marks ln 10; the weights start as PyTorch starts them unless He or Glorot is chosen', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('img', { name: /^Training loss chart:/ })).toHaveAttribute('data-chance-loss', '2.303');
  const init = page.getByRole('combobox', { name: 'Initialisation' });
  await expect(init).toHaveValue('pytorch');
  await expect(init.locator('option')).toHaveText(['PyTorch default', 'He (Kaiming normal)', 'Glorot (Xavier uniform)']);
  await init.selectOption({ label: 'He (Kaiming normal)' });
  await expect(init).toHaveValue('he');
  // The choice is part of the design's link (so it travels with it and with the export).
  const linked = () => page.evaluate(() => atob(location.hash.replace(/^#v1\./, '').replace(/-/g, '+').replace(/_/g, '/')));
  await expect.poll(linked).toContain('"init":"he"');
});

test('any test image: by number, class, at random, misclassified only; a confusion-matrix image opens inside', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await page.getByRole('button', { name: 'Empty network' }).click();
  await page.getByRole('button', { name: 'Add dense' }).click();
  await page.getByRole('combobox', { name: 'Training images' }).selectOption({ label: 'First 1,000' });
  await page.getByRole('textbox', { name: 'Epochs', exact: true }).fill('1');
  await button(page, 'Train').click();
  await expect(status(page)).toContainText('State: finished', { timeout: 150_000 });

  const browser = page.getByRole('region', { name: 'Browse the test set' });
  const shown = browser.getByRole('status', { name: 'Test image shown' });
  await expect(shown).toContainText('Test image 1 · label 7');
  // By number (with the keyboard).
  await browser.getByRole('textbox', { name: 'Test image number' }).fill('1234');
  await page.keyboard.press('Enter');
  await expect(shown).toContainText('Test image 1,234 ·');
  // By class: the next 3 after image 1,234.
  await browser.getByRole('combobox', { name: 'Only class' }).selectOption('3');
  await browser.getByRole('button', { name: 'Next ▶' }).click();
  await expect(shown).toContainText('label 3');
  await browser.getByRole('button', { name: 'Random' }).click();
  await expect(shown).toContainText('label 3');
  // Misclassified only (any class).
  await browser.getByRole('combobox', { name: 'Only class' }).selectOption('-1');
  await browser.getByRole('checkbox', { name: 'Misclassified only' }).check();
  await browser.getByRole('button', { name: 'Next ▶' }).click();
  await expect(shown).toContainText('✗ misclassified');
  const wrongOne = await shown.textContent();
  await browser.getByRole('button', { name: 'Next ▶' }).click();
  await expect(shown).toContainText('✗ misclassified');
  await expect(shown).not.toHaveText(wrongOne!);

  // The confusion matrix: an off-diagonal cell with images; its first image opens in the panels.
  const table = page.getByRole('table', { name: /Confusion matrix/ });
  const cells = table.getByRole('button', { name: /^True (\d), predicted (?!\1)\d: [1-9]\d* images?$/ });
  await cells.first().click();
  const open = page.getByRole('button', { name: /^Look inside test image \d+$/ }).first();
  const name = (await open.getAttribute('aria-label'))!;
  const n = Number(name.replace(/\D/g, ''));
  await open.focus();
  await page.keyboard.press('Enter');
  await expect(shown).toContainText(`Test image ${n.toLocaleString('en-US')} ·`);
  await expect(shown).toContainText('✗ misclassified');
  // The look-inside panels follow: the output layer's explanation names the image's label.
  await page.getByRole('img', { name: /^dense-1 outputs:/ }).focus();
  await page.keyboard.press('Enter');
  await expect(explainer(page).getByRole('table', { name: 'Softmax: logits to probabilities' })).toContainText('(label)');
  await page.screenshot({ path: 'test-results/explain-test-browser.png' });
  expect(errors).toEqual([]);
});

test('gradients of the selected image: per-layer table, gradient maps and filter gradients', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await smallConvNet(page);
  const view = page.getByRole('region', { name: 'Gradients' });
  await view.getByRole('button', { name: 'Show gradients for this image' }).click();
  await expect(view.getByRole('status', { name: 'Gradient loss' })).toContainText(/Loss against the label 7: [\d.]+/);
  const table = view.getByRole('table', { name: 'Per-layer statistics' });
  await expect(table.getByRole('row')).toHaveCount(2 + 3);
  await expect(table.getByRole('row', { name: /^conv2d-1 / })).toBeVisible();
  await expect(view.getByRole('img', { name: 'conv2d-1 gradient map 1 of 4' })).toBeVisible();
  await expect(view.getByRole('img', { name: 'conv2d-1 filter 4 gradient' })).toBeVisible();
  // Another image: the gradients follow it (label 2).
  await page.getByRole('button', { name: 'Look inside image 2 (label 2)' }).click();
  await expect(view.getByRole('status', { name: 'Gradient loss' })).toContainText('Loss against the label 2');
  await view.screenshot({ path: 'test-results/explain-gradients.png' });
  await view.getByRole('button', { name: 'Hide gradients' }).click();
  await expect(view.getByRole('table')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('batch norm: the cell with running statistics, γ and β; training vs evaluation mode; an activation cell', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await page.getByRole('button', { name: 'Empty network' }).click();
  for (const kind of ['conv2d', 'batch-norm', 'relu', 'max-pool', 'dense']) await page.getByRole('button', { name: `Add ${kind}` }).click();
  const conv = page.getByRole('group', { name: /^Layer 1: conv2d conv2d-1$/ });
  await conv.getByLabel('Filters K').fill('4');
  await page.getByRole('combobox', { name: 'Training images' }).selectOption({ label: 'First 1,000' });
  await page.getByRole('textbox', { name: 'Epochs', exact: true }).fill('1');
  await button(page, 'Train').click();
  await expect(status(page)).toContainText('State: finished', { timeout: 150_000 });

  await page.getByRole('img', { name: 'batch-norm-1 channel 2 of 4' }).focus();
  await page.keyboard.press('Enter');
  await expect(explainer(page)).toContainText('How batch-norm-1 (batch-norm) map 2 of 4, row 14, column 14');
  await expect(explainer(page).getByRole('status', { name: 'Batch norm total' })).toContainText('✓ equal');
  await expect(explainer(page).getByRole('table', { name: 'Batch norm arithmetic' })).toContainText('γ (scale)');
  await explainer(page).getByRole('button', { name: 'Compare training and evaluation mode' }).click();
  const modes = explainer(page).getByRole('table', { name: 'Training versus evaluation mode' });
  await expect(modes).toContainText('(batch of 16)');
  await expect(modes).toContainText('(running)');
  await expect(explainer(page).getByRole('status', { name: 'Mode difference' })).toContainText(/differ by [\d.e−-]+ here/);
  await expect(explainer(page)).toContainText('at test time it uses the running averages');
  await explainer(page).screenshot({ path: 'test-results/explain-batch-norm.png' });

  // A ReLU layer's cell: before → after.
  await page.getByRole('img', { name: 'relu-1 channel 2 of 4' }).click({ position: { x: 20, y: 20 } });
  await expect(explainer(page).getByRole('status', { name: 'Activation' })).toContainText(/relu: max\(0, x\) with x = [−\d.e-]+ gives [\d.e−-]+\./);
  expect(errors).toEqual([]);
});
