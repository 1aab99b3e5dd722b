#!/usr/bin/env node
// Why: proves the exported train.py end to end. The app (headless Chromium, its own worker) trains the
// reference CNN for one epoch on the first 10,000 images; the train.py it exports must (1) start from
// the very weights the app starts from, (2) train the same epoch under `torchrun --nproc_per_node=2`
// on CPU (DDP over gloo) to an accuracy within 1.5 points of the app's, and (3) save weights that the
// app loads back and that make it predict what PyTorch predicts (tools/check-pytorch-export.py).
// Needs python3 with torch (Debian: python3-torch); without it, says so and exits 0 unless --require.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startBrowser } from './serve.mjs';

const started = performance.now();
const args = process.argv.slice(2);
const require = args.includes('--require');
const SUBSET = 10_000;
const MAX_GAP = 0.015;
const data = resolve('public/data/mnist');

const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
if (!python) {
  console.log('check:train-export: SKIPPED — no python3 with torch here (Debian: apt-get install python3-torch).');
  process.exit(require ? 1 : 0);
}
if (!process.env.SKIP_BUILD) execFileSync('npx', ['vite', 'build', '--mode', 'test', '--logLevel', 'warn'], { stdio: 'inherit' });
execFileSync(process.execPath, ['tools/fetch-data.mjs', '--if-missing'], { stdio: 'inherit' });

/** Opens a harness page and resolves with its console lines once it says `done` (rejects on `error`). */
async function runPage(browser, url, tag) {
  const page = await browser.newPage();
  const lines = [];
  const finished = new Promise((resolve, reject) => {
    page.on('console', (m) => {
      const text = m.text();
      lines.push(text);
      console.log(`[${tag}] ${text}`);
      if (text === 'done') resolve();
      else if (text.startsWith('error ')) reject(new Error(`${tag}: ${text}`));
    });
    page.on('pageerror', (e) => reject(new Error(`${tag}: ${e.message}`)));
  });
  await page.goto(url);
  await finished;
  return { page, lines };
}

// torchrun --tee prefixes each line with its process ([default0]:), hence a search, not a prefix match.
const accuracyIn = (lines) => Number(/\bresult test_accuracy=([0-9.]+)/.exec(lines.join('\n'))?.[1] ?? NaN);

/** The stderr.log files torchrun wrote under `dir`. */
function listLogs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map((f) => join(dir, String(f))).filter((f) => f.endsWith('stderr.log'));
}

function runPython(argv, cwd, tag) {
  const r = spawnSync(python, argv, { cwd, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  for (const line of `${r.stdout}${r.stderr}`.trimEnd().split('\n')) console.log(`[${tag}] ${line}`);
  if (r.status !== 0) throw new Error(`${tag}: python exited with ${r.status}`);
  return r.stdout.split('\n');
}

const { url, browser, close } = await startBrowser({ port: 4183 });
let failed = false;
const fail = (msg) => {
  console.log(`FAIL: ${msg}`);
  failed = true;
};
try {
  const settings = `preset=reference-cnn&epochs=1&subset=${SUBSET}`;
  const app = await runPage(browser, `${url}harness.html?${settings}`, 'app');
  await app.page.close();
  const appAccuracy = accuracyIn(app.lines);

  const files = await runPage(browser, `${url}harness.html?mode=pytorch&${settings}`, 'export');
  const out = await files.page.evaluate(() => window.__convplayPyTorch);
  const dir = mkdtempSync(join(tmpdir(), 'convplay-train-export-'));
  writeFileSync(join(dir, 'model.py'), out.modelPy);
  writeFileSync(join(dir, 'train.py'), out.trainPy);
  writeFileSync(join(dir, 'app-init.safetensors'), Buffer.from(out.init, 'base64'));
  console.log(`[export] model.py and train.py in ${dir}`);

  // (1) The same initial weights.
  runPython(['train.py', '--save-init', 'init.safetensors'], dir, 'init');
  const diff = runPython(['-c', [
    'from model import read_safetensors',
    "a, b = read_safetensors('app-init.safetensors'), read_safetensors('init.safetensors')",
    "keys = [k for k in a if not k.endswith('num_batches_tracked')]",
    'assert sorted(keys) == sorted(k for k in b if not k.endswith("num_batches_tracked")), (sorted(a), sorted(b))',
    "print('max_abs_diff=%.3g over %d tensors' % (max((a[k] - b[k]).abs().max().item() for k in keys), len(keys)))",
  ].join('\n')], dir, 'init');
  const maxDiff = Number(/max_abs_diff=(\S+)/.exec(diff.join('\n'))?.[1] ?? NaN);
  if (!(maxDiff <= 1e-6)) fail(`train.py's initial weights differ from the app's by ${maxDiff}`);

  // (2) One epoch with DDP on two CPU processes (gloo).
  // --redirects 2 --tee 1: Debian's torch 1.13 under Python 3.11 cannot parse the default "0" (nor
  // "3": Python 3.11's Flag iteration skips zero and multi-bit members), so each process's stderr goes
  // to a log file (printed on failure) and its stdout is teed here. torch ≥ 2.0 needs no flags.
  const logs = join(dir, 'torchrun-logs');
  const torchArgs = ['-m', 'torch.distributed.run', '--nproc_per_node=2', '--redirects', '2', '--tee', '1', '--log_dir', logs, 'train.py', '--cpu', '--data', data, '--subset', String(SUBSET), '--epochs', '1', '--out', 'trained.safetensors'];
  let torchLines;
  try {
    torchLines = runPython(torchArgs, dir, 'torchrun');
  } catch (e) {
    for (const f of listLogs(logs)) console.log(`[torchrun] ${f}:\n${readFileSync(f, 'utf8')}`);
    throw e;
  }
  const torchAccuracy = accuracyIn(torchLines);
  const gap = Math.abs(appAccuracy - torchAccuracy);
  console.log(`test accuracy after 1 epoch on ${SUBSET} images: app ${(100 * appAccuracy).toFixed(2)}%, PyTorch DDP ×2 ${(100 * torchAccuracy).toFixed(2)}% (gap ${(100 * gap).toFixed(2)} points, allowed ${100 * MAX_GAP})`);
  if (!(gap <= MAX_GAP)) fail('the accuracies are too far apart');

  // (3) PyTorch's weights, loaded into the app, predict what PyTorch predicts.
  const trained = readFileSync(join(dir, 'trained.safetensors')).toString('base64');
  const predictions = await files.page.evaluate((w) => window.__convplayPredict(w), trained);
  writeFileSync(join(dir, 'predictions.safetensors'), Buffer.from(predictions, 'base64'));
  await files.page.close();
  const r = spawnSync(python, ['tools/check-pytorch-export.py', '--model', join(dir, 'model.py'), '--weights', join(dir, 'trained.safetensors'), '--predictions', join(dir, 'predictions.safetensors')], { encoding: 'utf8' });
  process.stdout.write(`[load-back] ${r.stdout}${r.stderr}`);
  if (r.status !== 0) fail('the app, given the weights PyTorch trained, does not predict what PyTorch predicts');
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
} finally {
  await close();
}
console.log(`${failed ? 'check:train-export FAILED' : 'check:train-export PASS'} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
process.exit(failed ? 1 : 0);
