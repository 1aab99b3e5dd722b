#!/usr/bin/env node
// Why: `npm run bench:kernels` times each of our WGSL kernels against the TF.js 4.22 webgpu kernel doing
// the same op on the same shape, in the same headless Chromium run, and writes bench-results/kernels.json.
//
//   npm run bench:kernels
//   options: --only matmul,conv2,pool   (substrings of the op names)   --repeats 3 (samples per side)
//            --min-sample-ms 300   --timeout SECONDS (whole run, default 1200)   --out FILE   --skip-build
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { environment, errorLine, fmt, markdownTable, prepare, runInFreshBrowser, startServer } from './bench-training.mjs';

function usage(msg) {
  console.error(`${msg}\nusage: npm run bench:kernels -- [--only matmul,conv1,conv2,pool] [--repeats 3] [--min-sample-ms 300] [--timeout SECONDS] [--out FILE] [--skip-build]`);
  process.exit(2);
}

const o = { only: undefined, repeats: 3, minSampleMs: 300, timeoutS: 1200, out: path.resolve('bench-results', 'kernels.json'), skipBuild: !!process.env.SKIP_BUILD };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
  switch (a) {
    case '--only': o.only = val().split(','); break;
    case '--repeats': o.repeats = Number(val()); if (!(Number.isInteger(o.repeats) && o.repeats > 0)) usage('--repeats: a positive integer'); break;
    case '--min-sample-ms': o.minSampleMs = Number(val()); if (!(o.minSampleMs >= 0)) usage('--min-sample-ms: milliseconds'); break;
    case '--timeout': o.timeoutS = Number(val()); if (!(o.timeoutS > 0)) usage('--timeout: seconds'); break;
    case '--out': o.out = path.resolve(val()); break;
    case '--skip-build': o.skipBuild = true; break;
    case '--help': case '-h': usage('npm run bench:kernels: our WGSL kernels vs TF.js webgpu'); break;
    default: usage(`unknown option ${a}`);
  }
}

prepare({ skipBuild: o.skipBuild });
const env = environment();
const server = await startServer();
console.log(`npm run bench:kernels: ${o.repeats} samples per side, ≥ ${o.minSampleMs} ms each; load average ${env.machine.loadavg.join(' ')}`);
let out;
try {
  const { result, chromium } = await runInFreshBrowser({
    url: server.url,
    page: 'bench-kernels.html',
    fn: 'benchKernels',
    arg: { ...(o.only && { only: o.only }), repeats: o.repeats, minSampleMs: o.minSampleMs },
    timeoutMs: o.timeoutS * 1000,
  });
  out = { date: env.date, machine: env.machine, versions: { ...env.versions, chromium, ...result.versions }, adapter: result.adapter, tfjs_adapter: result.tfjsAdapter ?? null, notes: result.notes, rows: result.rows };
} catch (e) {
  console.error(`bench:kernels failed: ${errorLine(e)}`);
  process.exitCode = 1;
} finally {
  await server.close();
}

if (out) {
  const rows = out.rows.map((r) => [
    r.op,
    r.shape.replace(/^(conv\d|pool\d) /, ''),
    r.ours_ms === null ? `failed: ${r.ours_error}` : fmt(r.ours_ms, r.ours_ms < 10 ? 2 : 1),
    r.tfjs_ms === null ? `failed: ${r.tfjs_error}` : fmt(r.tfjs_ms, r.tfjs_ms < 10 ? 2 : 1),
    fmt(r.ours_gflops, r.ours_gflops < 0.1 ? 3 : 2),
    fmt(r.tfjs_gflops, r.tfjs_gflops < 0.1 ? 3 : 2),
    r.ratio === null ? '—' : `${fmt(r.ratio, 2)}×`,
    r.of_matmul === undefined ? '—' : `${Math.round(r.of_matmul * 100)}%`,
    r.of_matmul_round_median === undefined ? '—' : `${Math.round(r.of_matmul_round_median * 100)}%`,
    r.agreement === null || !Number.isFinite(r.agreement) ? '—' : r.agreement.toExponential(0),
  ]);
  console.log(`\n## Kernels: ours vs TF.js 4.22 webgpu (${out.date.slice(0, 10)}, ${out.machine.cores}-core ${out.machine.cpu}, Chromium ${out.versions.chromium})\n`);
  console.log(markdownTable(['op', 'shape', 'ours ms', 'TF.js ms', 'ours GFLOP/s', 'TF.js GFLOP/s', 'TF.js ms ÷ ours', '% of our matmul', 'per-round median', 'max rel diff'], rows, ['l', 'l']));
  const a = out.adapter;
  console.log(`\nadapter: ${[a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' / ')}${a.isSoftware ? ' (software)' : ''}`);
  for (const n of out.notes) console.log(`- ${n}`);
  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(o.out, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), o.out)}`);
  if (out.rows.some((r) => r.ours_ms === null)) process.exitCode = 1;
}
