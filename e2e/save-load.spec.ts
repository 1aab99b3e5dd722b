import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Page } from '@playwright/test';

// Save, load, export: a learner trains a few steps, saves the weights, throws them away (Reset and a
// new learning rate), loads the file back and gets the same prediction; a damaged file is refused
// with the reason and changes nothing; the design exports to a PyTorch model.py.

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const status = (page: Page) => page.getByRole('status', { name: 'Training status' });
const prediction = (page: Page) => page.getByRole('status', { name: 'Prediction' });
const lr = (page: Page) => page.getByRole('textbox', { name: 'Learning rate', exact: true });

/** "3: 12%" for each class, as the probability bars read. */
const classProbabilities = (page: Page) => page.getByRole('list', { name: 'Class probabilities' }).getByRole('listitem').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));

async function bytesOf(download: Download): Promise<Buffer> {
  return readFile((await download.path())!);
}

/** The Plain MLP on the first 1,000 training images, `steps` steps trained with Step. */
async function trainedMlp(page: Page, steps: number) {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'Plain MLP' });
  await page.getByRole('combobox', { name: 'Training images' }).selectOption({ label: 'First 1,000' });
  await expect(button(page, 'Save weights')).toBeDisabled();
  for (let i = 1; i <= steps; i++) {
    await expect(button(page, 'Step')).toBeEnabled({ timeout: 120_000 });
    await button(page, 'Step').click();
    await expect(status(page)).toContainText(`Step ${i} of`, { timeout: 120_000 });
  }
  await expect(status(page)).toContainText('State: paused');
  await expect(prediction(page)).toHaveText(/^Prediction: \d \(\d+%\)$/);
}

test('save weights, reset, load them back: same step, same prediction; a damaged file changes nothing', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await trainedMlp(page, 3);
  // Look at test image 3 (a 1).
  await page.getByRole('button', { name: 'Look inside image 3 (label 1)' }).click();
  await expect(page.getByText('Looking at test image 3.')).toBeVisible();
  await page.waitForTimeout(500);
  const before = (await prediction(page).textContent())!;
  const probsBefore = await classProbabilities(page);

  // Save weights (with optimizer state): a real download named after the design.
  await expect(page.getByRole('checkbox', { name: 'Include optimizer state' })).toBeChecked();
  const [saved] = await Promise.all([page.waitForEvent('download'), button(page, 'Save weights').click()]);
  expect(saved.suggestedFilename()).toMatch(/^[a-z0-9_.-]+\.safetensors$/);
  const bytes = await bytesOf(saved);
  expect(bytes.length).toBeGreaterThan(100_000 * 4 * 3); // 101,770 weights + two moments, F32
  await expect(page.getByRole('status', { name: 'File result' })).toContainText(/Saved .*step 3/);

  // Throw the session away: fresh weights, another learning rate.
  await button(page, 'Reset').click();
  await expect(status(page)).toContainText('Step 0 of');
  await lr(page).fill('0.02');
  await expect(lr(page)).toHaveValue('0.02');

  // Load the file: the step, the settings and the prediction come back.
  await page.getByLabel('Load weights').setInputFiles({ name: saved.suggestedFilename(), mimeType: 'application/octet-stream', buffer: bytes });
  await expect(page.getByRole('status', { name: 'File result' })).toContainText('Loaded', { timeout: 60_000 });
  await expect(status(page)).toContainText('Step 3 of');
  await expect(lr(page)).toHaveValue('0.05');
  await expect(prediction(page)).toHaveText(before);
  expect(await classProbabilities(page)).toEqual(probsBefore);
  const hash = await page.evaluate(() => location.hash);

  // A damaged file (cut short), chosen in the picker: refused with the reason; nothing changes.
  const cut = bytes.subarray(0, Math.floor(bytes.length / 2));
  await page.getByLabel('Load weights').setInputFiles({ name: 'damaged.safetensors', mimeType: 'application/octet-stream', buffer: cut });
  const alert = page.getByRole('alert', { name: 'File problem' });
  await expect(alert).toContainText('cannot load this checkpoint');
  await expect(status(page)).toContainText('Step 3 of');
  expect(await page.evaluate(() => location.hash)).toBe(hash);
  await expect(prediction(page)).toHaveText(before);

  // The same damaged file dropped on the page: the drop overlay shows, the same refusal comes back.
  await page.evaluate(async (data) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data)], 'dropped.safetensors'));
    document.body.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
    document.body.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, [...cut.subarray(0, 2000)]);
  await expect(page.getByRole('status', { name: 'Drop a file' })).toContainText('Drop a .safetensors file');
  await page.evaluate(async (data) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data)], 'dropped.safetensors'));
    document.body.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, [...cut.subarray(0, 2000)]);
  await expect(page.getByRole('status', { name: 'Drop a file' })).toHaveCount(0);
  await expect(alert).toContainText('cannot load this checkpoint');
  await expect(status(page)).toContainText('Step 3 of');
  expect(await page.evaluate(() => location.hash)).toBe(hash);

  // Training goes on from the loaded step.
  await button(page, 'Step').click();
  await expect(status(page)).toContainText('Step 4 of');
  expect(errors).toEqual([]);
});

test('Export PyTorch downloads a zip of model.py and train.py (untrained, then with weights); Export ONNX and Export predictions need a trained network', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'Plain MLP' });
  await page.getByRole('combobox', { name: 'Training images' }).selectOption({ label: 'First 1,000' });
  await expect(button(page, 'Export predictions')).toBeDisabled();
  await expect(button(page, 'Export ONNX')).toBeDisabled();

  // An untrained design exports too: a zip (stored, so its files read as they are) of model.py,
  // train.py and README.md.
  const [py] = await Promise.all([page.waitForEvent('download'), button(page, 'Export PyTorch').click()]);
  expect(py.suggestedFilename()).toBe('mlp-pytorch.zip');
  const text = (await bytesOf(py)).toString('utf8');
  expect(text.startsWith('PK')).toBe(true);
  expect(text).toContain('class ConvplayNet(nn.Module)');
  expect(text).toContain('nn.Linear(784, 128');
  expect(text).toContain('torch.nn.parallel.DistributedDataParallel');
  expect(text).toContain('# A convplay design, in PyTorch');
  expect(text).not.toContain('mlp.safetensorsPK');
  await expect(page.getByRole('status', { name: 'File result' })).toContainText('untrained');

  // A design that doesn't fit can't be exported, and says why.
  await page.getByRole('button', { name: 'Empty network' }).click();
  await page.getByRole('button', { name: 'Add conv2d' }).click();
  const conv = page.getByRole('group', { name: /^Layer 1: conv2d / });
  await conv.getByLabel('Kernel F').fill('29');
  await expect(button(page, 'Export PyTorch')).toBeDisabled();
  await expect(page.getByRole('region', { name: 'Save, load and export' })).toContainText('Export PyTorch: the design does not fit');
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect(button(page, 'Export PyTorch')).toBeEnabled();

  // Trained: the zip holds the weights too; ONNX; the predictions of the 10,000 test images.
  await button(page, 'Step').click();
  await expect(status(page)).toContainText('Step 1 of', { timeout: 120_000 });
  const [trained] = await Promise.all([page.waitForEvent('download'), button(page, 'Export PyTorch').click()]);
  await expect(page.getByRole('status', { name: 'File result' })).toContainText(/Downloaded mlp-pytorch\.zip: model\.py, train\.py, README\.md and mlp\.safetensors/);
  const zipped = await bytesOf(trained);
  expect(zipped.toString('latin1')).toContain('mlp.safetensors');
  expect(zipped.length).toBeGreaterThan(101_770 * 4);

  const [onnx] = await Promise.all([page.waitForEvent('download'), button(page, 'Export ONNX').click()]);
  expect(onnx.suggestedFilename()).toBe('mlp.onnx');
  const onnxBytes = await bytesOf(onnx);
  expect(onnxBytes.length).toBeGreaterThan(101_770 * 4);
  expect(onnxBytes.toString('latin1')).toContain('fc1.weight');
  await expect(page.getByRole('status', { name: 'File result' })).toContainText('ONNX opset 13');

  const [pred] = await Promise.all([page.waitForEvent('download'), button(page, 'Export predictions').click()]);
  expect(pred.suggestedFilename()).toBe('predictions.safetensors');
  const p = await bytesOf(pred);
  expect(p.length).toBeGreaterThan(10_000 * 10 * 4);
  const headerLen = Number(p.readBigUInt64LE(0));
  const header = JSON.parse(p.subarray(8, 8 + headerLen).toString('utf8'));
  expect(header.probabilities.shape).toEqual([10_000, 10]);
  expect(header.__metadata__.format).toBe('convplay-predictions');
  await expect(page.getByRole('status', { name: 'File result' })).toContainText('check-pytorch-export.py');
});
