import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeShapeFolder } from './shape-images';

// Bring your own data: a learner makes a folder of colour images of three shapes, imports it through
// the builder, trains a small CNN on it well above chance, looks inside a colour image, reloads and
// still has the dataset, exports the network to PyTorch with the data, exports the dataset as a .zip
// and imports that back. A broken archive changes nothing.

const builder = (page: Page) => page.getByRole('region', { name: 'Your images' });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const datasetStatus = (page: Page) => page.getByRole('status', { name: 'Dataset status' });

let dir: string;
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'convplay-own-data-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('import a folder of colour shapes, train above chance, look inside, export to PyTorch with the data, reload, export and import back', async ({ page }) => {
  test.setTimeout(420_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const folder = writeShapeFolder(dir, 'shapes', 100, 3);
  await page.goto('/');
  await expect(builder(page)).toContainText('No dataset of your own yet');

  // Import the folder as a user would pick it (the directory input); 32×32 colour is the default.
  await builder(page).getByLabel('Image folder').setInputFiles(folder);
  await expect(datasetStatus(page)).toHaveText(/Built "shapes": 3 classes, 240 training and 60 test images of 3×32×32\./, { timeout: 120_000 });
  await builder(page).getByText('2 files skipped').click();
  await expect(builder(page).getByRole('list', { name: 'Skipped files' })).toContainText('broken.png could not be decoded as an image');
  await expect(builder(page).getByRole('list', { name: 'Skipped files' })).toContainText('notes.txt is not inside a class folder');
  const perClass = builder(page).getByRole('table', { name: 'Images per class' });
  await expect(perClass.getByRole('row', { name: /disc 80 20/ })).toBeVisible();
  await expect(builder(page).getByRole('img', { name: /Image 1, label (disc|square|triangle)/ })).toBeVisible();

  // Training switched to the user's images and the design follows their shape and classes.
  await expect(page.getByRole('combobox', { name: 'Dataset' })).toHaveValue('own');
  await expect(page.getByRole('group', { name: 'Input shape' })).toContainText('shapes images are 3×32×32.');
  await expect(page.getByText('over 3 class scores')).toBeVisible();
  await page.getByRole('textbox', { name: 'Batch size', exact: true }).fill('20');
  await page.getByRole('textbox', { name: 'Epochs', exact: true }).fill('6');
  await button(page, 'Train').click();
  const matrix = page.getByRole('region', { name: 'Confusion matrix section' });
  await expect(matrix).toContainText(/after epoch 6, test accuracy/, { timeout: 300_000 });
  const accuracy = Number(/test accuracy ([\d.]+)%/.exec((await matrix.textContent()) ?? '')![1]);
  expect(accuracy).toBeGreaterThan(60); // chance is 33%
  // An untrained 3-class net starts near ln 3, and the chart's chance line says so.
  await expect(page.getByRole('img', { name: /^Training loss chart:/ })).toHaveAttribute('data-chance-loss', '1.099');
  await expect(matrix.getByRole('columnheader', { name: 'triangle' })).toBeVisible();

  // Look inside a colour test image: the input is shown in colour, the first filters too.
  await page.getByRole('button', { name: /^Look inside image 1 \(label (disc|square|triangle)\)$/ }).click();
  await expect(page.getByText('The network sees 32×32×3')).toBeVisible();
  const colourful = await page.getByRole('img', { name: 'The colour 32×32 input the network sees' }).evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.max(Math.abs(d[i]! - d[i + 1]!), Math.abs(d[i + 1]! - d[i + 2]!)) > 40) n++;
    return n / (d.length / 4);
  });
  expect(colourful).toBeGreaterThan(0.05);
  await expect(page.getByRole('region', { name: 'Filters' })).toContainText(/filters of 3×3×3 in colour/);

  // Export PyTorch ships the dataset as split here (IDX files, the class names) beside model.py and
  // train.py (the zip is stored, so its names and text read as they are).
  const [py] = await Promise.all([page.waitForEvent('download'), button(page, 'Export PyTorch').click()]);
  const zipText = readFileSync((await py.path())!).toString('latin1');
  for (const name of ['data/own/train-images-idx4-ubyte', 'data/own/test-images-idx4-ubyte', 'data/own/train-labels-idx1-ubyte', 'data/own/classes.json', 'model.py', 'train.py']) expect(zipText).toContain(name);
  expect(zipText).toContain('["disc","square","triangle"]');
  expect(zipText).toMatch(/nn\.Conv2d\(3, /);

  // Reload: the dataset is still there (IndexedDB), and still the one trained on.
  await page.reload();
  await expect(builder(page).getByRole('heading', { name: /^shapes · 3×32×32 · 3 classes/ })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Dataset' })).toHaveValue('own');

  // Export as one .zip of class folders, then import that file back.
  const [download] = await Promise.all([page.waitForEvent('download'), button(page, 'Export .zip').click()]);
  expect(download.suggestedFilename()).toBe('shapes.zip');
  const zipPath = join(dir, 'exported.zip');
  await download.saveAs(zipPath);
  await expect(datasetStatus(page)).toContainText('Exported shapes.zip');
  await builder(page).getByLabel('Dataset archive (.zip)').setInputFiles(zipPath);
  await expect(datasetStatus(page)).toHaveText(/Built "exported": 3 classes, 240 training and 60 test images of 3×32×32\./, { timeout: 120_000 });
  await expect(perClass.getByRole('row', { name: /triangle 80 20/ })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a broken archive is refused by name and the dataset in use stays', async ({ page }) => {
  const folder = writeShapeFolder(dir, 'few', 4, 9);
  await page.goto('/');
  await builder(page).getByLabel('Image folder').setInputFiles(folder);
  await expect(datasetStatus(page)).toHaveText(/Built "few": 3 classes, 9 training and 3 test images/, { timeout: 60_000 });

  // A zip cut short: its central directory is gone.
  const broken = join(dir, 'broken.zip');
  const good = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]);
  writeFileSync(broken, good);
  await builder(page).getByLabel('Dataset archive (.zip)').setInputFiles(broken);
  const alert = page.getByRole('alert', { name: 'Dataset problem' });
  await expect(alert).toContainText('previous dataset is unchanged');
  await expect(alert).toContainText('broken.zip: is not a zip archive, or it is truncated');
  await expect(builder(page).getByRole('heading', { name: /^few · 3×32×32 · 3 classes/ })).toBeVisible();

  // One class only is refused too, with the rule.
  writeShapeFolder(join(dir, 'one-src'), 'x', 2, 1);
  await builder(page).getByLabel('Image folder').setInputFiles(join(dir, 'one-src', 'x', 'disc'));
  await expect(alert).toContainText(/Only one class \("disc"\)|at least 2/);
  await page.reload();
  await expect(builder(page).getByRole('heading', { name: /^few · 3×32×32 · 3 classes/ })).toBeVisible();
});

test('collect examples class by class on a drawing pad and build a dataset from them', async ({ page }) => {
  await page.goto('/');
  // Closed, the builder's pad is out of the way: the page has one drawing pad (Look inside's).
  await expect(page.getByRole('img', { name: /^Drawing pad/ })).toHaveCount(1);
  await builder(page).getByText('…or draw examples, class by class').click();
  const pad = builder(page).getByRole('img', { name: /^Drawing pad/ });
  const stroke = async (points: [number, number][]) => {
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
    await page.mouse.move(...at(points[0]!));
    await page.mouse.down();
    for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
    await page.mouse.up();
  };
  const className = builder(page).getByRole('textbox', { name: 'Class of the next drawing' });
  for (const [name, points] of [['line', [[0.5, 0.15], [0.5, 0.85]]], ['bar', [[0.15, 0.5], [0.85, 0.5]]]] as const) {
    await className.fill(name);
    for (let i = 0; i < 3; i++) {
      await stroke(points.map(([x, y]) => [x + i * 0.05, y] as [number, number]));
      await builder(page).getByRole('button', { name: `Add drawing to "${name}"` }).click();
    }
  }
  await expect(builder(page).getByRole('list', { name: 'Drawings collected' })).toHaveText(/line: 3 drawings\s*bar: 3 drawings/);
  await builder(page).getByRole('button', { name: 'Build dataset from 6 drawings' }).click();
  await expect(datasetStatus(page)).toHaveText(/Built "drawings": 2 classes, 4 training and 2 test images of 3×32×32\./, { timeout: 60_000 });
  await expect(page.getByRole('combobox', { name: 'Dataset' })).toHaveValue('own');
});
