import { expect, test, type Page } from '@playwright/test';

// Security: the page forbids inline and remote scripts (a Content-Security-Policy), talks to no one but
// its own origin, and shows untrusted text (a layer id from a link) as text, never as markup.

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const XSS = '<img src=x onerror=alert(1)>';

test('the Content-Security-Policy forbids inline and remote scripts', async ({ page }) => {
  await page.goto('/');
  const csp = await page.evaluate(() => document.querySelector('meta[http-equiv=Content-Security-Policy]')?.getAttribute('content') ?? '');
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));
  expect(directives.get('script-src')).toEqual(["'self'"]);
  expect(directives.get('default-src')).toEqual(["'self'"]);
  expect(directives.get('object-src')).toEqual(["'none'"]);
  expect(csp).not.toContain('unsafe-eval');
  expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
  await expect(page.getByRole('heading', { name: 'convplay' })).toBeVisible();

  // An injected inline script does not run: the browser reports the violation instead.
  const inline = await page.evaluate(
    () =>
      new Promise<{ directive: string; ran: boolean }>((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve({ directive: e.effectiveDirective, ran: 'pwned' in window }), { once: true });
        const s = document.createElement('script');
        s.textContent = 'window.pwned = true';
        document.body.append(s);
      }),
  );
  expect(inline.directive).toMatch(/^script-src/);
  expect(inline.ran).toBe(false);
  expect(await page.evaluate(() => 'pwned' in window)).toBe(false);

  // A script from another origin is refused too.
  const remote = await page.evaluate(
    () =>
      new Promise<{ directive: string; blocked: string }>((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve({ directive: e.effectiveDirective, blocked: e.blockedURI }), { once: true });
        const s = document.createElement('script');
        s.src = 'https://cdn.example.com/evil.js';
        document.body.append(s);
      }),
  );
  expect(remote.directive).toMatch(/^script-src/);
  expect(remote.blocked).toContain('cdn.example.com');
});

test('a short session makes requests to its own origin only', async ({ page, baseURL }) => {
  const origins = new Set<string>();
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol === 'data:' || u.protocol === 'blob:') return;
    origins.add(u.origin);
  });
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'Plain MLP' });
  await page.getByRole('combobox', { name: 'Training images' }).selectOption({ label: 'First 1,000' });
  await expect(button(page, 'Step')).toBeEnabled({ timeout: 120_000 });
  await button(page, 'Step').click();
  await expect(page.getByRole('status', { name: 'Training status' })).toContainText('Step 1 of', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Look inside image 3 (label 1)' }).click();
  await expect(page.getByRole('status', { name: 'Prediction' })).toHaveText(/^Prediction: \d/);
  await page.waitForTimeout(500);
  expect([...origins]).toEqual([new URL(baseURL!).origin]);
});

test('a layer id with markup in a link is shown as text: no element is made, no script runs', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto('/');
  // The default design's link, with the first layer's id replaced by markup.
  const hash = await page.evaluate(() => location.hash);
  expect(hash).toMatch(/^#v1\./);
  const doc = JSON.parse(Buffer.from(hash.slice(4), 'base64url').toString('utf8'));
  doc.spec.layers[0].id = XSS;
  const evil = `#v1.${Buffer.from(JSON.stringify(doc), 'utf8').toString('base64url')}`;

  // Opened fresh: the default design is shown, with a notice that quotes the id as text.
  await page.goto(`/${evil}`);
  const notice = page.getByRole('alert', { name: 'Link problem' });
  await expect(notice).toContainText(XSS);
  await expect(page.getByRole('group', { name: /^Layer 1: conv2d conv1$/ })).toBeVisible();
  // Pasted into the address bar of an open page: the same.
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await page.evaluate((h) => (location.hash = h), evil);
  await expect(notice).toContainText(XSS);

  await page.waitForTimeout(1000);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  const imgs = await page.evaluate(() => {
    let n = 0;
    const walk = (root: Document | ShadowRoot) => {
      n += root.querySelectorAll('img').length;
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    return n;
  });
  expect(imgs).toBe(0);
  expect(dialogs).toEqual([]);
});
