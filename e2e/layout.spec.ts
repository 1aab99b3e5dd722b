import { expect, test, type Page } from '@playwright/test';

// The workspace layout: at every width from a phone to a wide screen, before and after an epoch (the
// confusion matrix shown), no two panels overlap, nothing sticks out of its panel or the window, and
// the page never needs horizontal scrolling. On a laptop and a wide screen the network, the training
// controls with the chart, and the look-inside view of the selected image are all on the first screen.
// After the epoch, the loss chart's ln 10 label sits clear of the curves at every size.

const SIZES: [number, number][] = [
  [390, 844],
  [768, 1024],
  [1280, 800],
  [1366, 768],
  [1920, 1080],
];

interface Box {
  name: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Reads the panels' boxes and every problem the layout has at the current size. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const app = document.querySelector('cp-app')!.shadowRoot!;
    const vw = document.documentElement.clientWidth;
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > vw + 1) problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}`);
    const name = (el: Element) => el.tagName.toLowerCase() + (el.getAttribute('aria-label') ? `[${el.getAttribute('aria-label')}]` : el.className ? `.${el.className}` : '');
    const box = (el: Element): Box => {
      const r = el.getBoundingClientRect();
      return { name: name(el), left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    // The panels: the columns' children (the designer's own children stand for it).
    const panels: Element[] = [];
    for (const col of app.querySelectorAll('.workspace > *')) {
      for (const child of col.children) {
        if (child.classList.contains('designer')) panels.push(...child.children);
        else panels.push(child);
      }
    }
    panels.push(app.querySelector('header')!);
    const boxes = panels.filter((p) => p.getBoundingClientRect().width > 0).map(box);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!, b = boxes[j]!;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) problems.push(`${a.name} overlaps ${b.name} (${Math.round(w)}×${Math.round(h)} px)`);
      }
    }
    // Nothing inside a panel reaches out of it or out of the window (walks open shadow roots).
    const walk = (root: ParentNode, visit: (el: Element) => void) => {
      for (const el of root.querySelectorAll('*')) {
        visit(el);
        if (el.shadowRoot) walk(el.shadowRoot, visit);
      }
    };
    for (const panel of panels) {
      const p = panel.getBoundingClientRect();
      if (p.width === 0) continue;
      if (p.left < -1 || p.right > vw + 1) problems.push(`${name(panel)} is cut off by the window (${Math.round(p.left)}..${Math.round(p.right)} of ${vw})`);
      const seen = new Set<string>();
      walk(panel.shadowRoot ?? panel, (el) => {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) return;
        const style = getComputedStyle(el);
        if (style.position === 'absolute' && r.width <= 1) return; // screen-reader-only text
        if (r.right > p.right + 1 || r.left < p.left - 1) {
          const what = `${name(panel)}: ${name(el)} sticks out (${Math.round(r.left)}..${Math.round(r.right)} outside ${Math.round(p.left)}..${Math.round(p.right)})`;
          if (!seen.has(name(el))) problems.push(what);
          seen.add(name(el));
        }
        if ((style.overflowX === 'hidden' || style.overflowX === 'auto' || style.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
          problems.push(`${name(panel)}: ${name(el)} hides ${el.scrollWidth - el.clientWidth} px of its content sideways`);
        }
      });
    }
    return problems;
  });
}

/** On a laptop or a wide screen: the network, Train with the chart, and the look-inside view are on the first screen. */
async function firstScreenProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const app = document.querySelector('cp-app')!.shadowRoot!;
    const vh = document.documentElement.clientHeight;
    const must: [string, Element | null | undefined][] = [
      ['the network drawing', app.querySelector('cp-network-diagram')],
      ['the first layer card', app.querySelector('cp-network-editor')?.shadowRoot?.querySelector('cp-layer-card')],
      ['the Train button', app.querySelector('cp-train-controls')?.shadowRoot?.querySelector('button')],
      ['the loss chart', app.querySelector('cp-loss-chart')],
      ['the image looked at', app.querySelector('cp-draw-pad')],
      ['the prediction', app.querySelector('cp-probabilities')],
      ['the activations', app.querySelector('cp-activation-view')],
    ];
    const problems: string[] = [];
    for (const [what, el] of must) {
      if (!el) problems.push(`${what} is missing`);
      else {
        const r = el.getBoundingClientRect();
        // The layer list and the maps may go on below the first screen; they must start on it.
        const whole = what !== 'the activations' && what !== 'the first layer card';
        if (r.top < 0 || (whole ? r.bottom > vh + 1 : r.top + 60 > vh)) problems.push(`${what} is not on the first screen (${Math.round(r.top)}..${Math.round(r.bottom)} of ${vh})`);
      }
    }
    return problems;
  });
}

/** With curves on the loss chart, its ln 10 label sits where none of them crosses it (the chart says where it put it). */
const CLEAR_CHANCE_LABEL = /^ln 10( ≈ 2\.30: (an untrained 10-class net|chance))?$/;

async function checkAllSizes(page: Page, when: string, curves = false) {
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300);
    expect(await layoutProblems(page), `${when} at ${width}×${height}`).toEqual([]);
    if (width >= 1366) expect(await firstScreenProblems(page), `${when} at ${width}×${height}`).toEqual([]);
    if (curves) await expect(page.getByRole('img', { name: /^Training loss chart:/ }), `${when} at ${width}×${height}`).toHaveAttribute('data-chance-label', CLEAR_CHANCE_LABEL);
  }
}

test('the workspace fits from a phone to a wide screen, before and after an epoch', async ({ page }) => {
  test.setTimeout(900_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('/');
  await expect(page.getByRole('img', { name: /^Image 1, label 7$/ })).toBeVisible();
  // A layer selected (on the drawing): the inspector is shown beside the layers.
  await page.getByRole('button', { name: /^Select conv1 \(conv2d \+ relu\): 28×28×32$/ }).click();
  await expect(page.getByRole('heading', { name: /^Inspector: conv1/ })).toBeVisible();
  await checkAllSizes(page, 'before training');

  // One epoch on the first 1,000 images: the confusion matrix, activations and filters appear.
  await page.getByRole('combobox', { name: 'Training images' }).selectOption({ label: 'First 1,000' });
  await page.getByRole('textbox', { name: 'Epochs', exact: true }).fill('1');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toContainText('State: finished', { timeout: 700_000 });
  await expect(page.getByRole('region', { name: 'Confusion matrix section' })).toBeVisible();
  await expect(page.getByRole('img', { name: /^conv1 channel 1 of/ })).toBeVisible();
  await checkAllSizes(page, 'after an epoch', true);
  expect(errors).toEqual([]);
});
