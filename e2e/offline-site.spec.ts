import { expect, test } from '@playwright/test';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

// The production build (`npm run build`, dist/) is a static site: served from a sub-path of a plain
// file server it loads, installs its service worker, and after one visit works with the network cut.
// It holds the app only: no benchmark or harness pages, no TF.js, no debug hooks (those live in the
// test build, dist-test/, which the other journeys use).

const DIST = 'dist';
const SUB_PATH = '/convplay/';
const PORT = Number(process.env.CP_E2E_PORT ?? 4173) + 1000;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
};

/** Every file of the build, relative to dist/. */
function files(dir = DIST): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path.slice(DIST.length + 1)];
  });
}

let server: Server;

test.beforeAll(async () => {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ has no index.html: run `npm run build` first (npm run test:e2e does)');
  // A plain static host: files under SUB_PATH, nothing else (no SPA fallback, no headers of its own).
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(SUB_PATH)) return void res.writeHead(404).end('not here');
    let rel = normalize(decodeURIComponent(url.pathname.slice(SUB_PATH.length)));
    if (rel === '.' || rel.endsWith('/')) rel = join(rel, 'index.html');
    const path = join(DIST, rel);
    if (rel.startsWith('..') || !existsSync(path) || !statSync(path).isFile()) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  await new Promise<void>((resolve) => server.listen(PORT, resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

test('the production build holds the app only: no benchmark, harness, TF.js or debug hooks', () => {
  const all = files();
  expect(all).toContain('index.html');
  expect(all).toContain('sw.js');
  expect(all).toContain('manifest.webmanifest');
  expect(all.filter((f) => /bench|harness|tfjs|\.wasm$/i.test(f))).toEqual([]);
  for (const f of all.filter((x) => x.endsWith('.js') || x.endsWith('.html'))) {
    const text = readFileSync(join(DIST, f), 'utf8');
    for (const banned of ['@tensorflow', 'tfjs', '__convplayDebug', '__convplayExport', 'simulated worker crash', 'bench-kernels']) {
      expect(text.includes(banned), `${f} contains ${banned}`).toBe(false);
    }
  }
  // Relative paths only: the site works from any folder of any host.
  expect(readFileSync(join(DIST, 'index.html'), 'utf8')).not.toMatch(/(src|href)="\/(?!\/)/);
  const manifest = JSON.parse(readFileSync(join(DIST, 'manifest.webmanifest'), 'utf8'));
  expect(manifest).toMatchObject({ start_url: './', scope: './', display: 'standalone' });
});

test('served from a sub-path, it loads once, then trains a step with the network cut', async ({ page, context }) => {
  const origin = `http://localhost:${PORT}`;
  await page.goto(`${origin}${SUB_PATH}`);
  await expect(page.getByRole('heading', { name: 'convplay' })).toBeVisible();
  // The manifest is linked and served.
  const manifestHref = await page.evaluate(() => document.querySelector<HTMLLinkElement>('link[rel=manifest]')?.href);
  expect(manifestHref).toBe(`${origin}${SUB_PATH}manifest.webmanifest`);
  // The service worker installs (it caches every file of the site first), activates and takes the page.
  const cached = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    const names = await caches.keys();
    const cache = await caches.open(names.find((n) => n.startsWith('convplay-'))!);
    return { scope: reg.scope, urls: (await cache.keys()).map((r) => new URL(r.url).pathname) };
  });
  expect(cached.scope).toBe(`${origin}${SUB_PATH}`);
  expect(cached.urls).toContain(`${SUB_PATH}data/mnist/train-images-idx3-ubyte.gz`);
  expect(cached.urls).toContain(`${SUB_PATH}index.html`);
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'convplay' })).toBeVisible();
  // The network really is cut: what the cache does not hold cannot be fetched.
  const uncached = await page.evaluate(() => fetch('./not-in-the-cache.txt').then((r) => `HTTP ${r.status}`, (e: Error) => `failed: ${e.message}`));
  expect(uncached).toMatch(/^failed/);
  await page.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'Plain MLP' });
  await page.getByRole('combobox', { name: 'Training images' }).selectOption({ label: 'First 1,000' });
  const step = page.getByRole('button', { name: 'Step', exact: true });
  await expect(step).toBeEnabled({ timeout: 120_000 });
  await step.click();
  await expect(page.getByRole('status', { name: 'Training status' })).toContainText('Step 1 of', { timeout: 120_000 });
  await context.setOffline(false);
});
