#!/usr/bin/env node
// Why: proves the PyTorch export end to end: the app (in headless Chromium, through its worker) trains
// a preset briefly and exports checkpoint, model.py and test-set predictions; PyTorch then loads the
// model with load_state_dict(strict=True) and must agree with the app (tools/check-pytorch-export.py).
// Needs python3 with torch (Debian: python3-torch); without it, says so and exits 0 unless --require.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowser } from './serve.mjs';

const args = process.argv.slice(2);
const require = args.includes('--require');
const presets = (args.find((a) => a.startsWith('--presets='))?.slice(10) ?? 'mlp,reference-cnn,small-resnet').split(',');

const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
if (!python) {
  const msg = 'check:export: SKIPPED — no python3 with torch here (Debian: apt-get install python3-torch).';
  console.log(msg);
  process.exit(require ? 1 : 0);
}
if (!process.env.SKIP_BUILD) execFileSync('npx', ['vite', 'build', '--mode', 'test', '--logLevel', 'warn'], { stdio: 'inherit' });
execFileSync(process.execPath, ['tools/fetch-data.mjs', '--if-missing'], { stdio: 'inherit' });

const { url, browser, close } = await startBrowser({ port: 4181 });
let failed = false;
try {
  for (const preset of presets) {
    const page = await browser.newPage();
    const done = new Promise((resolve) => page.on('console', (m) => (m.text() === 'done' || m.text().startsWith('error ')) && resolve(m.text())));
    page.on('console', (m) => console.log(`[${preset}] ${m.text()}`));
    await page.goto(`${url}harness.html?mode=export&preset=${preset}&steps=${preset === 'mlp' ? 40 : 15}`);
    if ((await done) !== 'done') throw new Error(`${preset}: the export run failed`);
    const out = await page.evaluate(() => window.__convplayExport);
    await page.close();
    const dir = mkdtempSync(join(tmpdir(), `convplay-export-${preset}-`));
    writeFileSync(join(dir, 'model.py'), out.modelPy);
    writeFileSync(join(dir, 'model.safetensors'), Buffer.from(out.weights, 'base64'));
    writeFileSync(join(dir, 'predictions.safetensors'), Buffer.from(out.predictions, 'base64'));
    const r = spawnSync(python, ['tools/check-pytorch-export.py', '--model', join(dir, 'model.py'), '--weights', join(dir, 'model.safetensors'), '--predictions', join(dir, 'predictions.safetensors')], { encoding: 'utf8' });
    process.stdout.write(`[${preset}] ${r.stdout}${r.stderr}`);
    if (r.status !== 0) failed = true;
  }
} finally {
  await close();
}
process.exit(failed ? 1 : 0);
