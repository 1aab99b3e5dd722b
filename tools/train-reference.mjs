#!/usr/bin/env node
// Why: `npm run train:reference -- --epochs 3` trains a preset on real MNIST in headless Chromium,
// through the same worker the app uses, and prints one line per epoch and a final result line.
import { execFileSync } from 'node:child_process';
import { startBrowser } from './serve.mjs';

const args = process.argv.slice(2);
const params = new URLSearchParams({ epochs: '1' });
const known = ['preset', 'batch', 'lr', 'optimizer', 'schedule', 'seed', 'subset', 'dataset', 'epochs'];
for (let i = 0; i < args.length; i++) {
  const name = args[i].replace(/^--/, '');
  if (!known.includes(name)) {
    console.error(`unknown option ${args[i]}; options: ${known.map((k) => `--${k}`).join(' ')}`);
    process.exit(2);
  }
  params.set(name, args[++i]);
}
if (!process.env.SKIP_BUILD) execFileSync('npx', ['vite', 'build', '--mode', 'test', '--logLevel', 'warn'], { stdio: 'inherit' });
execFileSync(process.execPath, ['tools/fetch-data.mjs', '--if-missing', ...(params.get('dataset')?.startsWith('fashion') ? ['--dataset', 'fashion'] : [])], { stdio: 'inherit' });

const { url, browser, close } = await startBrowser();
const page = await browser.newPage();
let ok = false;
const done = new Promise((resolve) => {
  page.on('console', (m) => {
    const text = m.text();
    console.log(text);
    if (text === 'done') {
      ok = true;
      resolve();
    } else if (text.startsWith('error ')) resolve();
  });
  page.on('pageerror', (e) => {
    console.error(`page error: ${e.message}`);
    resolve();
  });
});
await page.goto(`${url}harness.html?${params}`);
await done;
await close();
process.exit(ok ? 0 : 1);
