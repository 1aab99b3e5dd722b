import { expect, test, type Locator, type Page } from '@playwright/test';

// The network designer: a CS231n student builds a small CNN by dragging layers, reads the shapes and
// parameter counts, breaks it with a stride that doesn't fit, fixes it, shares it by URL, and does
// all of it with the keyboard too.

const layerCards = (page: Page) => page.getByRole('group', { name: /^Layer \d+: / });
const card = (page: Page, id: string) => page.getByRole('group', { name: new RegExp(`^Layer \\d+: \\S+ ${id}$`) });
const train = (page: Page) => page.getByRole('button', { name: 'Train', exact: true });
const endZone = (page: Page) => page.getByText(/drop layers here|Drop a layer here/);

async function emptyNetwork(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Empty network' }).click();
  await expect(layerCards(page)).toHaveCount(0);
}

async function expectLayer(c: Locator, shape: string, params: string) {
  await expect(c.getByRole('status', { name: 'Output shape' })).toHaveText(shape);
  await expect(c.getByRole('status', { name: 'Parameters' })).toHaveText(params);
}

async function tabTo(page: Page, target: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el.matches(':focus'))) return;
  }
  throw new Error('could not reach the element with Tab');
}

test('drag conv → ReLU → max-pool → dense into an empty network and read shapes and parameters', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Tall enough that no drag needs the page to scroll (a scroll mid-drag confuses the synthetic mouse).
  await page.setViewportSize({ width: 1280, height: 1400 });
  await emptyNetwork(page);
  await expect(train(page)).toBeDisabled();

  for (const kind of ['conv2d', 'relu', 'max-pool', 'dense']) {
    await page.getByRole('button', { name: `Add ${kind}` }).dragTo(endZone(page));
  }
  await expect(layerCards(page)).toHaveCount(4);
  await expect(layerCards(page).nth(0)).toHaveAccessibleName('Layer 1: conv2d conv2d-1');
  await expect(layerCards(page).nth(3)).toHaveAccessibleName('Layer 4: dense dense-1');

  const conv = card(page, 'conv2d-1');
  await conv.getByLabel('Filters K').fill('8');
  await expect(conv.getByLabel('Kernel F')).toHaveValue('3');
  await expect(conv.getByLabel('Padding P')).toHaveValue('1');
  await expectLayer(conv, '28×28×8', '80');
  await expectLayer(card(page, 'relu-1'), '28×28×8', '0');
  await expectLayer(card(page, 'max-pool-1'), '14×14×8', '0');
  await expectLayer(card(page, 'dense-1'), '10', '15,690');
  await expect(train(page)).toBeEnabled();

  // The inspector shows the lecture's arithmetic for the selected layer.
  await conv.getByLabel('Filters K').click();
  const inspector = page.getByRole('region', { name: /Inspector/ });
  await expect(inspector).toContainText('W′ = (W − F + 2P)/S + 1');
  await expect(inspector).toContainText('(28 − 3 + 2·1)/1 + 1 = 28');
  await expect(inspector).toContainText('8·(3·3·1 + 1) = 80');

  // The summary table, like model.summary().
  const summary = page.getByRole('table', { name: /Model summary/ });
  await expect(summary.getByRole('row', { name: /conv2d-1/ })).toContainText('28×28×8');
  await expect(summary.getByRole('row', { name: /^Total/ })).toContainText('15,770');

  // Drag to reorder (dense to the top), then drag it back onto the palette to remove it.
  await card(page, 'dense-1').locator('.grip').dragTo(conv, { targetPosition: { x: 30, y: 4 } });
  await expect(layerCards(page).nth(0)).toHaveAccessibleName('Layer 1: dense dense-1');
  await card(page, 'dense-1').locator('.grip').dragTo(page.getByRole('region', { name: 'Layers' }));
  await expect(layerCards(page)).toHaveCount(3);
  await expect(card(page, 'dense-1')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("a stride that doesn't fit is explained on the layer and turns Train off until fixed", async ({ page }) => {
  await emptyNetwork(page);
  await page.getByRole('button', { name: 'Add conv2d' }).click();
  await page.getByRole('button', { name: 'Add dense' }).click();
  const conv = card(page, 'conv2d-1');
  await conv.getByLabel('Padding P').fill('0');
  await expect(train(page)).toBeEnabled();

  await conv.getByLabel('Stride S').fill('3');
  await expect(conv).toContainText("Doesn't fit");
  await expect(conv).toContainText("(28 − 3)/3 + 1 = 9.33, doesn't fit");
  await expect(conv).toContainText('Fix:');
  await expect(conv.getByLabel('Stride S')).toHaveAttribute('aria-invalid', 'true');
  await expect(train(page)).toBeDisabled();
  await expect(train(page)).toHaveAttribute('title', /doesn't fit/);
  await expect(train(page)).toHaveAccessibleDescription(/Training is off: Layer 1 \(conv2d-1\).*doesn't fit/);

  await conv.getByLabel('Stride S').fill('1');
  await expect(conv).not.toContainText("Doesn't fit");
  await expectLayer(conv, '26×26×16', '160');
  await expect(train(page)).toBeEnabled();

  // Bad text never reaches the design: a message next to the box, the last good value stays in force.
  for (const bad of ['', '-2', '2.5', '99999', 'abc']) {
    await conv.getByLabel('Filters K').fill(bad);
    await expect(conv.getByRole('alert')).toContainText('K (number of filters) must be a whole number from 1 to 4,096');
    await expectLayer(conv, '26×26×16', '160');
    await expect(train(page)).toBeEnabled();
  }
  await conv.getByLabel('Filters K').fill('4');
  await expect(conv.getByRole('alert')).toHaveCount(0);
  await expectLayer(conv, '26×26×4', '40');

  // Undo and redo, with the buttons and with the keyboard.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expectLayer(conv, '26×26×16', '160');
  await page.keyboard.press('Control+Shift+Z');
  await expectLayer(conv, '26×26×4', '40');
  await page.keyboard.press('Control+Z');
  await expectLayer(conv, '26×26×16', '160');
});

test('the URL holds the design: reload gives the same network; a broken link falls back with a notice', async ({ page }) => {
  await emptyNetwork(page);
  await page.getByRole('button', { name: 'Add conv2d' }).click();
  await page.getByRole('button', { name: 'Add max-pool' }).click();
  await page.getByRole('button', { name: 'Add dense' }).click();
  await card(page, 'conv2d-1').getByLabel('Filters K').fill('6');
  await card(page, 'conv2d-1').getByLabel('Kernel F').fill('5');
  await card(page, 'conv2d-1').getByLabel('Padding P').fill('2');
  await expectLayer(card(page, 'conv2d-1'), '28×28×6', '156');
  await expect(page).toHaveURL(/#v1\./);
  const url = page.url();

  await page.reload();
  await expect(layerCards(page)).toHaveCount(3);
  await expectLayer(card(page, 'conv2d-1'), '28×28×6', '156');
  await expectLayer(card(page, 'max-pool-1'), '14×14×6', '0');

  // The same link in a fresh page.
  const other = await page.context().newPage();
  await other.goto(url);
  await expectLayer(card(other, 'conv2d-1'), '28×28×6', '156');
  await other.close();

  // A broken link opened in a new tab: the default network and a notice, not a blank page.
  const broken = await page.context().newPage();
  await broken.goto('/#v1.this-is-not-a-network');
  await expect(broken.getByRole('alert', { name: 'Link problem' })).toContainText('default network');
  await expect(card(broken, 'conv1')).toBeVisible();
  await broken.close();
  // Pasted over the current design: the design stays, with the same notice.
  await page.goto('/#v1.still-not-a-network');
  await expect(page.getByRole('alert', { name: 'Link problem' })).toContainText('left as it was');
  await expectLayer(card(page, 'conv2d-1'), '28×28×6', '156');

  // A preset is one choice away.
  await page.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'LeNet-5' });
  await expect(card(page, 'c1')).toBeVisible();
  await expect(train(page)).toBeEnabled();

  // Design-only input shapes are allowed, but training needs 1×28×28.
  await page.getByLabel('Input channels C').fill('3');
  await expectLayer(card(page, 'c1'), '28×28×6', '456');
  await expect(train(page)).toBeDisabled();
  await expect(page.getByText('Design only: training needs a 1×28×28 input (MNIST).')).toBeVisible();
});

test('keyboard only: Tab to the palette, Enter to add, Alt+ArrowUp to move, Delete to remove', async ({ page }) => {
  await emptyNetwork(page);
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await tabTo(page, page.getByRole('button', { name: 'Add conv2d' }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: 'Add relu' }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: 'Add dense' }));
  await page.keyboard.press('Enter');
  await expect(layerCards(page)).toHaveCount(3);

  await tabTo(page, card(page, 'dense-1'));
  await page.keyboard.press('Alt+ArrowUp');
  await expect(layerCards(page).nth(1)).toHaveAccessibleName('Layer 2: dense dense-1');
  await expect(card(page, 'dense-1')).toBeFocused();
  await page.keyboard.press('Alt+ArrowUp');
  await expect(layerCards(page).nth(0)).toHaveAccessibleName('Layer 1: dense dense-1');

  await page.keyboard.press('Delete');
  await expect(layerCards(page)).toHaveCount(2);
  await expect(card(page, 'dense-1')).toHaveCount(0);
  await expect(card(page, 'conv2d-1')).toBeFocused();

  await page.keyboard.press('Control+Z');
  await expect(layerCards(page)).toHaveCount(3);
});

test('fits a phone screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await expect(card(page, 'conv1')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test.describe('on a touch screen', () => {
  test.use({ hasTouch: true });

  /** A finger pressed on `from`, moved in steps to `to` (a point in `to`'s box), and lifted. */
  async function fingerDrag(page: Page, from: Locator, to: Locator, at?: { x: number; y: number }) {
    const a = (await from.boundingBox())!;
    const b = (await to.boundingBox())!;
    const start = { x: a.x + a.width / 2, y: a.y + a.height / 2 };
    const end = at ? { x: b.x + at.x, y: b.y + at.y } : { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', p?: { x: number; y: number }) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: p ? [{ x: p.x, y: p.y }] : [] });
    await touch('touchStart', start);
    for (let i = 1; i <= 8; i++) await touch('touchMove', { x: start.x + ((end.x - start.x) * i) / 8, y: start.y + ((end.y - start.y) * i) / 8 });
    await touch('touchEnd');
    await cdp.detach();
  }

  test('a finger drags layers from the palette, reorders them and drags one out', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 1400 });
    await emptyNetwork(page);
    await fingerDrag(page, page.getByRole('button', { name: 'Add conv2d' }), endZone(page));
    await expect(layerCards(page)).toHaveCount(1);
    await fingerDrag(page, page.getByRole('button', { name: 'Add dense' }), endZone(page));
    await expect(layerCards(page)).toHaveCount(2);
    await expect(layerCards(page).nth(1)).toHaveAccessibleName('Layer 2: dense dense-1');

    // Reorder: the dense layer's grip onto the top edge of the conv layer.
    await fingerDrag(page, card(page, 'dense-1').locator('.grip'), card(page, 'conv2d-1'), { x: 30, y: 4 });
    await expect(layerCards(page).nth(0)).toHaveAccessibleName('Layer 1: dense dense-1');
    // Out onto the palette: removed.
    await fingerDrag(page, card(page, 'dense-1').locator('.grip'), page.getByRole('region', { name: 'Layers' }));
    await expect(layerCards(page)).toHaveCount(1);
    await expect(card(page, 'dense-1')).toHaveCount(0);
  });
});
