#!/usr/bin/env node
// Why: `npm run bench` measures convplay's training speed against the libraries people would use
// instead (TF.js 4.22 webgpu, wasm, webgl) on the reference network and real MNIST, each run in a fresh
// headless Chromium, and writes the public speed record bench-results/training.json.
//
//   npm run bench                         # batches 100,32,256, 3 repeats, all peers, a full epoch
//   npm run bench -- --quick --batch 100  # development: 1 repeat, fewer steps, no full epoch
//   options: --batch 100,32,256  --repeats 3  --only convplay,tfjs-wasm,tfjs-webgpu,tfjs-webgl[,tfjs-cpu]
//            --steps N | --steps convplay=60,tfjs-webgpu=3   --warmup N | --warmup tfjs-webgpu=1
//            --full-epoch / --no-full-epoch   --quick   --timeout SECONDS (per run)   --out FILE
//            --epoch-subset N (development only: the "full epoch" run trains on N images)
//            --skip-build (or SKIP_BUILD=1)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright';
import { preview } from 'vite';
import { chromiumLaunchOptions } from './chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The benchmarks build into their own folder, so a `vite build` of dist/ running beside them (tests,
 *  another tool) cannot pull the pages from under a run. Inside node_modules/: ignored by git. */
export const BENCH_DIST = path.join(ROOT, 'node_modules', '.convplay-bench-dist');

// ---------- shared with tools/bench-kernels.mjs ----------

/** Builds the app (unless told not to) and makes sure MNIST is in public/data. */
export function prepare({ skipBuild = !!process.env.SKIP_BUILD } = {}) {
  // Data first: the build copies public/ (with data/) into the output folder.
  execFileSync(process.execPath, ['tools/fetch-data.mjs', '--if-missing'], { stdio: 'inherit', cwd: ROOT });
  if (!skipBuild) execFileSync('npx', ['vite', 'build', '--mode', 'test', '--logLevel', 'warn', '--outDir', BENCH_DIST, '--emptyOutDir'], { stdio: 'inherit', cwd: ROOT });
}

/** Serves the benchmark build on localhost (a secure context for WebGPU). */
export async function startServer() {
  const server = await preview({ root: ROOT, build: { outDir: BENCH_DIST }, preview: { port: 4190, strictPort: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0] ?? 'http://localhost:4190/';
  return { url, close: () => new Promise((resolve) => server.httpServer.close(resolve)) };
}

/**
 * Opens `page` (e.g. bench.html) in a fresh Chromium, calls window[fn](arg), returns its result.
 * Rejects on a page error or after `timeoutMs`; the browser is always closed.
 */
export async function runInFreshBrowser({ url, page: pageName, fn, arg, timeoutMs, log = (l) => console.log(l) }) {
  const browser = await chromium.launch(chromiumLaunchOptions());
  let timer;
  try {
    const version = browser.version();
    const page = await browser.newPage();
    page.setDefaultTimeout(timeoutMs);
    const pageError = new Promise((_, reject) => {
      page.on('pageerror', (e) => reject(new Error(`page error: ${e.message}`)));
      page.on('crash', () => reject(new Error('page crashed')));
    });
    page.on('console', (m) => {
      const t = m.text();
      if (t.startsWith('[bench] ')) log(`    ${t.slice(8)}`);
      else if (m.type() === 'error') log(`    console error: ${t}`);
    });
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${(timeoutMs / 1000).toFixed(0)} s`)), timeoutMs);
    });
    const work = (async () => {
      await page.goto(`${url}${pageName}`);
      await page.waitForFunction((f) => typeof window[f] === 'function', fn);
      return page.evaluate(([f, a]) => window[f](a), [fn, arg]);
    })();
    let result;
    try {
      result = await Promise.race([work, pageError, timeout]);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      err.chromium = version;
      throw err;
    }
    return { result, chromium: version };
  } finally {
    clearTimeout(timer);
    await browser.close().catch(() => {});
  }
}

function pkgVersion(name) {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** What ran where: the machine, the software, the commit. */
export function environment() {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim();
    if (dirty) commit += '+dirty';
  } catch {
    /* not a git checkout */
  }
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    machine: { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.release()}`, loadavg: os.loadavg().map((l) => +l.toFixed(2)) },
    versions: {
      convplay: JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version,
      commit,
      node: process.version,
      playwright: pkgVersion('playwright'),
      '@tensorflow/tfjs-core': pkgVersion('@tensorflow/tfjs-core'),
      '@tensorflow/tfjs-backend-webgpu': pkgVersion('@tensorflow/tfjs-backend-webgpu'),
      '@tensorflow/tfjs-backend-wasm': pkgVersion('@tensorflow/tfjs-backend-wasm'),
      '@tensorflow/tfjs-backend-webgl': pkgVersion('@tensorflow/tfjs-backend-webgl'),
    },
  };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** A GitHub-flavoured Markdown table (numbers right-aligned). */
export function markdownTable(head, rows, align) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map((_, i) => ((align?.[i] ?? 'r') === 'l' ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

export const fmt = (v, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));

// ---------- the training benchmark ----------

const PEERS = ['convplay', 'tfjs-webgpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-cpu'];
const DEFAULT_PEERS = ['convplay', 'tfjs-webgpu', 'tfjs-wasm', 'tfjs-webgl'];
/** Timed steps and warm-up steps per peer (TF.js webgpu is ~9 s/step here and compiles for 12–22 s first). */
const STEPS = { convplay: 60, 'tfjs-webgpu': 3, 'tfjs-wasm': 12, 'tfjs-webgl': 5, 'tfjs-cpu': 2 };
const QUICK_STEPS = { convplay: 20, 'tfjs-webgpu': 2, 'tfjs-wasm': 5, 'tfjs-webgl': 3, 'tfjs-cpu': 1 };
const WARMUP = { convplay: 5, 'tfjs-webgpu': 1, 'tfjs-wasm': 2, 'tfjs-webgl': 2, 'tfjs-cpu': 1 };

function usage(msg) {
  console.error(`${msg}\nusage: npm run bench -- [--batch 100,32,256] [--repeats 3] [--only ${PEERS.join(',')}] [--steps N|peer=N,...] [--warmup N|peer=N,...] [--full-epoch|--no-full-epoch] [--epoch-subset N] [--quick] [--timeout SECONDS] [--out FILE] [--skip-build]`);
  process.exit(2);
}

/** "12" → every peer 12; "convplay=60,tfjs-webgpu=3" → those peers. */
function perPeer(value, base, name) {
  const out = { ...base };
  for (const part of value.split(',')) {
    const [k, v] = part.includes('=') ? part.split('=') : [undefined, part];
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) usage(`--${name}: bad value ${part}`);
    if (k === undefined) for (const p of PEERS) out[p] = n;
    else if (PEERS.includes(k)) out[k] = n;
    else usage(`--${name}: unknown peer ${k}`);
  }
  return out;
}

function parseArgs(argv) {
  const o = { batches: [100, 32, 256], repeats: undefined, only: DEFAULT_PEERS, steps: undefined, warmup: { ...WARMUP }, fullEpoch: undefined, quick: false, timeoutS: undefined, out: path.join(ROOT, 'bench-results', 'training.json'), skipBuild: !!process.env.SKIP_BUILD };
  const raw = { steps: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    switch (a) {
      case '--batch': o.batches = val().split(',').map(Number); if (!o.batches.every((b) => Number.isInteger(b) && b > 0)) usage('--batch: positive integers'); break;
      case '--repeats': o.repeats = Number(val()); if (!(Number.isInteger(o.repeats) && o.repeats > 0)) usage('--repeats: a positive integer'); break;
      case '--only': o.only = val().split(','); for (const p of o.only) if (!PEERS.includes(p)) usage(`--only: unknown peer ${p}`); break;
      case '--steps': raw.steps = val(); break;
      case '--warmup': o.warmup = perPeer(val(), o.warmup, 'warmup'); break;
      case '--full-epoch': o.fullEpoch = true; break;
      case '--no-full-epoch': o.fullEpoch = false; break;
      case '--quick': o.quick = true; break;
      case '--epoch-subset': o.epochSubset = Number(val()); if (!(Number.isInteger(o.epochSubset) && o.epochSubset > 0)) usage('--epoch-subset: images'); break;
      case '--timeout': o.timeoutS = Number(val()); if (!(o.timeoutS > 0)) usage('--timeout: seconds'); break;
      case '--out': o.out = path.resolve(val()); break;
      case '--skip-build': o.skipBuild = true; break;
      case '--help': case '-h': usage('npm run bench: convplay vs TF.js training speed'); break;
      default: usage(`unknown option ${a}`);
    }
  }
  o.repeats ??= o.quick ? 1 : 3;
  o.fullEpoch ??= !o.quick;
  o.steps = perPeer(raw.steps ?? '', o.quick ? QUICK_STEPS : STEPS, 'steps');
  if (raw.steps === undefined) o.steps = o.quick ? { ...QUICK_STEPS } : { ...STEPS };
  for (const p of PEERS) if (o.steps[p] < 1) usage(`--steps: at least 1 timed step (${p})`);
  return o;
}

/** Per-run time limit: setup + compile + warm-up + timed steps at a pessimistic rate, in seconds. */
function runTimeoutS(peer, batch, o) {
  if (o.timeoutS) return o.timeoutS;
  // Pessimistic seconds per sample (several times the rates in PERFORMANCE-NOTES.md, for a busy machine).
  const sPerSample = { convplay: 0.05, 'tfjs-webgpu': 0.3, 'tfjs-wasm': 0.03, 'tfjs-webgl': 0.15, 'tfjs-cpu': 0.5 }[peer];
  const evaluation = peer === 'convplay' ? evalRepeats(o) * 150 : 0;
  // convplay's per-layer GPU times: a second build of the network's pipelines in the page, then 5 runs of a step.
  const layerTimes = peer === 'convplay' ? 120 + 5 * batch * sPerSample : 0;
  return Math.round(120 + (o.steps[peer] + o.warmup[peer]) * batch * sPerSample + evaluation + layerTimes);
}

/** Test-set evaluations timed per convplay run. */
const evalRepeats = (o) => (o.quick ? 1 : 2);

/** The first line of an error, without Playwright's "page.evaluate: Error: " wrapping. */
export function errorLine(e) {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0].replace(/^page\.evaluate: (Error: )?/, '');
}

function stats(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  prepare({ skipBuild: o.skipBuild });
  const env = environment();
  const server = await startServer();
  let chromiumVersion;
  const runs = []; // { peer, batch, repeat, ok, result?, error? }
  const t0 = Date.now();
  console.log(`npm run bench: batches ${o.batches.join(',')}, ${o.repeats} repeat(s), peers ${o.only.join(',')}, full epoch ${o.fullEpoch ? 'yes' : 'no'}; load average ${env.machine.loadavg.join(' ')}`);
  try {
    // Repeats are interleaved (every peer once, then again), so drift on a busy machine spreads evenly.
    for (let repeat = 1; repeat <= o.repeats; repeat++) {
      for (const batch of o.batches) {
        for (const peer of o.only) {
          const timeoutS = runTimeoutS(peer, batch, o);
          console.log(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${peer} batch ${batch} repeat ${repeat}/${o.repeats} (${o.warmup[peer]} warm-up + ${o.steps[peer]} timed steps, limit ${timeoutS} s)`);
          const arg = { peer, batch, warmupSteps: o.warmup[peer], steps: o.steps[peer], evalRepeats: peer === 'convplay' ? evalRepeats(o) : 0 };
          try {
            const { result, chromium } = await runInFreshBrowser({ url: server.url, page: 'bench.html', fn: 'benchTraining', arg, timeoutMs: timeoutS * 1000 });
            chromiumVersion = chromium;
            runs.push({ peer, batch, repeat, ok: true, result });
            console.log(`  → ${fmt(result.samplesPerSecond)} samples/s, ${fmt(result.msPerStep)} ms/step`);
          } catch (e) {
            chromiumVersion ??= e?.chromium;
            runs.push({ peer, batch, repeat, ok: false, error: errorLine(e) });
            console.log(`  → FAILED: ${runs.at(-1).error}`);
          }
        }
      }
    }
    let fullEpoch;
    if (o.fullEpoch && o.only.includes('convplay')) {
      const batch = o.batches.includes(100) ? 100 : o.batches[0];
      const timeoutS = o.timeoutS ?? 3600;
      console.log(`[${((Date.now() - t0) / 1000).toFixed(0)} s] convplay full epoch (${o.epochSubset ? `DEVELOPMENT: first ${o.epochSubset}` : '60,000'} images) at batch ${batch} (limit ${timeoutS} s)`);
      try {
        const { result } = await runInFreshBrowser({ url: server.url, page: 'bench.html', fn: 'benchTraining', arg: { peer: 'convplay', batch, warmupSteps: 1, steps: 2, evalRepeats: 1, fullEpoch: true, ...(o.epochSubset && { subset: o.epochSubset }) }, timeoutMs: timeoutS * 1000 });
        fullEpoch = { ok: true, batch, ...(o.epochSubset && { development_subset: o.epochSubset }), ...result.fullEpoch, evalMsRepeats: result.evalMs, peakBytesLive: result.memory?.peakBytesLive };
        console.log(`  → ${fmt(result.fullEpoch.trainMs / 1000)} s training + ${fmt(result.fullEpoch.evalMs, 0)} ms evaluation, test accuracy ${result.fullEpoch.testAccuracy.toFixed(4)}`);
      } catch (e) {
        fullEpoch = { ok: false, batch, error: errorLine(e) };
        console.log(`  → FAILED: ${fullEpoch.error}`);
      }
    }
    report(o, env, chromiumVersion, runs, fullEpoch);
  } finally {
    await server.close();
  }
}

function report(o, env, chromiumVersion, runs, fullEpoch) {
  const configurations = [];
  for (const batch of o.batches) {
    for (const peer of o.only) {
      const mine = runs.filter((r) => r.peer === peer && r.batch === batch);
      const ok = mine.filter((r) => r.ok).map((r) => r.result);
      const first = ok[0];
      const c = {
        peer,
        label: first?.label ?? peer,
        batch,
        date: env.date,
        runs: mine.length,
        runs_ok: ok.length,
        warmup_steps: o.warmup[peer],
        timed_steps: first?.steps ?? o.steps[peer],
        samples_per_s: ok.length ? stats(ok.map((r) => r.samplesPerSecond)) : null,
        ms_per_step: ok.length ? stats(ok.map((r) => r.msPerStep)) : null,
        warmup_ms: ok.length ? stats(ok.map((r) => r.warmupMs)) : null,
        setup_ms: ok.length ? stats(ok.map((r) => r.setupMs)) : null,
        loss: first ? { first: first.firstLoss, last: first.lastLoss } : null,
        adapter: first?.adapter ?? null,
        versions: { ...env.versions, chromium: chromiumVersion, ...(first?.versions ?? {}) },
        notes: first?.notes ?? [],
        errors: mine.filter((r) => !r.ok).map((r) => `repeat ${r.repeat}: ${r.error}`),
      };
      if (peer === 'convplay' && ok.length) {
        c.peak_gpu_bytes_live = Math.max(...ok.map((r) => r.memory?.peakBytesLive ?? 0));
        const evals = ok.flatMap((r) => r.evalMs ?? []);
        if (evals.length) c.evaluate_ms = stats(evals);
        c.test_accuracy_after_timed_steps = first.testAccuracy;
        if (fullEpoch && fullEpoch.batch === batch) c.full_epoch = fullEpoch;
        if (first.layerTimes) c.layer_gpu_ms = first.layerTimes;
      }
      configurations.push(c);
    }
  }
  const ratios = [];
  for (const batch of o.batches) {
    const ours = configurations.find((c) => c.peer === 'convplay' && c.batch === batch)?.samples_per_s?.median;
    for (const c of configurations.filter((c) => c.batch === batch && c.peer !== 'convplay')) {
      const theirs = c.samples_per_s?.median;
      c.convplay_ratio = ours && theirs ? ours / theirs : null;
      ratios.push({ batch, peer: c.peer, convplay_over_peer: c.convplay_ratio });
    }
  }

  console.log(`\n## Training speed, reference network on MNIST (${env.date.slice(0, 10)}, ${env.machine.cores}-core ${env.machine.cpu}, Chromium ${chromiumVersion ?? '?'})\n`);
  for (const batch of o.batches) {
    const rows = configurations.filter((c) => c.batch === batch).map((c) => [
      c.label,
      c.samples_per_s ? `${fmt(c.samples_per_s.median)} (${fmt(c.samples_per_s.min)}–${fmt(c.samples_per_s.max)})` : `failed: ${c.errors[0] ?? 'no runs'}`,
      c.ms_per_step ? fmt(c.ms_per_step.median, 0) : '—',
      `${c.runs_ok}/${c.runs}`,
      `${c.warmup_steps}+${c.timed_steps}`,
      c.peer === 'convplay' ? '1' : c.convplay_ratio ? `${fmt(c.convplay_ratio, 2)}×` : '—',
    ]);
    console.log(`Batch ${batch}:\n`);
    console.log(markdownTable(['system', 'samples/s median (min–max)', 'ms/step', 'runs ok', 'warm-up+timed steps', 'convplay ÷ this'], rows, ['l']));
    console.log('');
  }
  const cp = configurations.filter((c) => c.peer === 'convplay' && c.samples_per_s);
  if (cp.length) {
    console.log('convplay extras:\n');
    const rows = cp.map((c) => [String(c.batch), c.evaluate_ms ? `${fmt(c.evaluate_ms.median, 0)} (${fmt(c.evaluate_ms.min, 0)}–${fmt(c.evaluate_ms.max, 0)})` : '—', c.peak_gpu_bytes_live ? `${fmt(c.peak_gpu_bytes_live / 2 ** 20)} MiB` : '—', c.full_epoch?.ok ? `${c.full_epoch.development_subset ? `DEVELOPMENT (${c.full_epoch.images} images): ` : ''}${fmt(c.full_epoch.trainMs / 1000)} s (+ ${fmt(c.full_epoch.evalMs / 1000)} s eval), ${fmt(c.full_epoch.samplesPerSecond)} samples/s, test acc ${c.full_epoch.testAccuracy.toFixed(4)}` : c.full_epoch ? `failed: ${c.full_epoch.error}` : 'not run']);
    console.log(markdownTable(['batch', 'evaluate 10,000 test images, ms', 'peak GPU memory (pool)', 'full epoch, 60,000 images'], rows, ['r', 'r', 'r', 'l']));
    // Per-layer GPU time of one step (first run of each batch): which layer costs the time.
    for (const c of cp.filter((c) => c.layer_gpu_ms)) {
      const t = c.layer_gpu_ms;
      const total = t.layers.reduce((s, l) => s + l.forwardMs + l.backwardMs, 0);
      const rows = t.layers.map((l) => [l.layerId, fmt(l.forwardMs, 2), fmt(l.backwardMs, 2), fmt(l.forwardMs + l.backwardMs, 2), `${fmt((100 * (l.forwardMs + l.backwardMs)) / total, 0)}%`]);
      console.log(`\nbatch ${c.batch}, GPU ms per step by layer (${t.method === 'timestamps' ? 'timestamp queries' : 'each layer submitted alone'}, ${t.profile} profile, ${t.repeats} runs each):\n`);
      console.log(markdownTable(['layer', 'forward', 'backward', 'GPU ms / step', 'share'], [...rows, ['total', '', '', fmt(total, 2), '100%']], ['l']));
    }
    const a = cp[0].adapter;
    if (a) console.log(`\nadapter: ${[a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' / ')}${a.isSoftware ? ' (software)' : ''}`);
  }
  const out = { date: env.date, machine: env.machine, versions: { ...env.versions, chromium: chromiumVersion }, options: { batches: o.batches, repeats: o.repeats, peers: o.only, steps: o.steps, warmup: o.warmup, quick: o.quick, full_epoch: o.fullEpoch }, configurations, ratios, runs };
  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(o.out, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), o.out)}`);
  if (configurations.some((c) => c.peer === 'convplay' && !c.samples_per_s)) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
