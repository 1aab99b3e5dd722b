import { expect, test, type Page } from '@playwright/test';

// Residual blocks in the designer: the small ResNet preset shows its blocks as cards holding cards,
// with the sum's shape check; breaking the shortcut says why and which projection fixes it; the
// keyboard moves a layer into a block and out again; the drawing arcs over each block.

const block = (page: Page, id: string) => page.getByRole('group', { name: new RegExp(`^Residual block ${id},`) });

test('small ResNet: blocks, the sum check, a broken shortcut explained, keyboard in and out, skip arcs', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Preset').first().selectOption('small-resnet');
  const res2 = block(page, 'res2');
  await expect(block(page, 'res1')).toContainText('✓ shapes match');
  await expect(res2.getByRole('group', { name: /^Layer 1 of block res2: conv2d res2-a$/ })).toBeVisible();
  await expect(res2.getByRole('status', { name: 'Output shape' }).first()).toHaveText('7×7×64');
  await expect(page.locator('cp-network-diagram .skip')).toHaveCount(2);

  // A selected block has its own inspector: the sum, the shapes, the projection's arithmetic.
  await res2.click({ position: { x: 12, y: 12 } });
  await expect(page.getByLabel('Block sum')).toHaveText('y = body(x) + W·x (1×1, stride 2), then ReLU(y)');
  await expect(page.getByLabel('Projection arithmetic')).toContainText('⌊(14 − 1)/2⌋ + 1 = 7');

  await res2.getByLabel('Shortcut', { exact: true }).selectOption('identity');
  await expect(res2).toContainText("Doesn't fit");
  await expect(res2).toContainText('use a projection shortcut: a 1×1 convolution with K = 64, stride S = 2');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  await page.keyboard.press('Control+Z');
  await expect(res2).toContainText('✓ shapes match');

  // gap sits just below res2: Alt+→ moves it into res2 (the sum then breaks: 64 ≠ 64×7×7), Alt+← out.
  const gap = page.getByRole('group', { name: /: global-avg-pool gap$/ });
  await gap.focus();
  await page.keyboard.press('Alt+ArrowRight');
  await expect(res2.getByRole('group', { name: /^Layer 6 of block res2: global-avg-pool gap$/ })).toBeVisible();
  await expect(res2).toContainText('must keep C×H×W feature maps');
  await page.getByRole('group', { name: /: global-avg-pool gap$/ }).focus();
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(page.getByRole('group', { name: /^Layer 7: global-avg-pool gap$/ })).toBeVisible();
  await expect(res2).toContainText('✓ shapes match');

  // A new, empty block says what it needs.
  await page.getByRole('button', { name: '+ Residual block' }).click();
  await expect(block(page, 'residual-1')).toContainText('a residual block needs at least one layer in its body');
});

test('drag a layer from the palette into a block, then drag it out to the end of the network', async ({ page }) => {
  // Tall enough that no drag needs the page to scroll (a scroll mid-drag confuses the synthetic mouse).
  await page.setViewportSize({ width: 1280, height: 4200 });
  await page.goto('/');
  await page.getByLabel('Preset').first().selectOption('small-resnet');
  const res1 = block(page, 'res1');
  await page.getByRole('button', { name: 'Add dropout' }).dragTo(res1.getByText('Drop here to add at the end of the block'));
  const inside = res1.getByRole('group', { name: /^Layer 6 of block res1: dropout dropout-1$/ });
  await expect(inside).toBeVisible();
  await inside.locator('.grip').dragTo(page.getByText('Drop a layer here to add it at the end'));
  await expect(page.getByRole('group', { name: /^Layer 9: dropout dropout-1$/ })).toBeVisible();
  await expect(res1.getByRole('group', { name: /dropout-1/ })).toHaveCount(0);
});

