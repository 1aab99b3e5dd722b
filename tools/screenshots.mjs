// Why: the README's pictures of the app (design, training, look inside) come from the real app, so
// they stay true as the app changes. This serves the built app (run `npx vite build` first), drives it
// in the same headless Chromium as the tests and writes PNGs.
//
//   node tools/screenshots.mjs                        docs/images/{design,training,inside}.png at 1366×768
//   node tools/screenshots.mjs --out /tmp/shots --sizes 1366x768,1920x1080,390x844 --scenes design
//
// Training uses the first 1,000 training images and one epoch, so it finishes in a minute or two on a
// CPU adapter (SwiftShader); on a GPU it takes seconds.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { chromiumLaunchOptions } from './chromium.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const out = arg('out', 'docs/images');
const sizes = arg('sizes', '1366x768').split(',').map((s) => s.split('x').map(Number));
const scenes = arg('scenes', 'design,training,inside').split(',');
const full = process.argv.includes('--full');
const port = Number(process.env.CP_E2E_PORT ?? 4173);
const base = `http://localhost:${port}/`;

async function serve() {
  try {
    await fetch(base);
    return undefined; // a preview server is already running
  } catch {
    /* start one */
  }
  const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 200));
    try {
      await fetch(base);
      return server;
    } catch {
      /* not yet */
    }
  }
  throw new Error(`vite preview did not start on port ${port}`);
}

/** Each scene: what to do on a fresh page before the picture is taken. */
const SCENES = {
  async design(page) {
    // The page as a newcomer finds it: the reference CNN, its first layer selected (the inspector shows it).
    await page.getByRole('button', { name: /^Select conv1 / }).click();
    await page.getByRole('heading', { name: /^Inspector: conv1/ }).waitFor();
  },
  async training(page) {
    await page.getByRole('combobox', { name: 'Training images' }).selectOption({ label: 'First 1,000' });
    await page.getByRole('textbox', { name: 'Epochs', exact: true }).fill('3');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction(() => {
      const chart = document.querySelector('cp-app')?.shadowRoot?.querySelector('cp-loss-chart')?.shadowRoot?.querySelector('[data-step]');
      return Number(chart?.getAttribute('data-step') ?? 0) >= 12;
    }, undefined, { timeout: 300_000 });
  },
  async inside(page) {
    await page.getByRole('combobox', { name: 'Training images' }).selectOption({ label: 'First 1,000' });
    await page.getByRole('textbox', { name: 'Epochs', exact: true }).fill('1');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.getByRole('status', { name: 'Training status' }).getByText('finished').waitFor({ timeout: 600_000 });
    await page.getByRole('button', { name: /^Look inside image 3 / }).click();
    await page.getByRole('img', { name: /^conv1 channel 1 of/ }).waitFor();
    // The maps, the filters and the confusion matrix are below the first screen: show them.
    await page.getByRole('region', { name: 'Activations' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(1500);
  },
};

const server = await serve();
const browser = await chromium.launch(chromiumLaunchOptions());
mkdirSync(out, { recursive: true });
try {
  for (const scene of scenes) {
    for (const [width, height] of sizes) {
      const page = await browser.newPage({ viewport: { width, height } });
      await page.goto(base);
      await page.getByRole('status', { name: 'GPU adapter' }).getByText(/GPU: /).waitFor();
      await page.getByRole('img', { name: 'Image 1, label 7' }).waitFor();
      await SCENES[scene](page);
      await page.waitForTimeout(500);
      const file = join(out, sizes.length > 1 ? `${scene}-${width}x${height}.png` : `${scene}.png`);
      await page.screenshot({ path: file, fullPage: full });
      console.log(`wrote ${file}`);
      await page.close();
    }
  }
} finally {
  await browser.close();
  if (server) process.kill(-server.pid);
}
