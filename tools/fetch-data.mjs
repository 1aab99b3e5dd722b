#!/usr/bin/env node
// Why: `npm run data` puts verified dataset files where the page can fetch them (public/data/<name>/,
// gitignored). Sources in order: $MNIST_DIR (or --from DIR), the local copies named in datasets.mjs,
// then the public mirrors. A copy whose hash is wrong is refused by name; nothing half-written stays.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { DATASETS } from './datasets.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const args = { dataset: 'mnist', ifMissing: false, from: undefined, out: join(root, 'public', 'data') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dataset') args.dataset = argv[++i];
    else if (a === '--if-missing') args.ifMissing = true;
    else if (a === '--from') args.from = argv[++i];
    else if (a === '--only') {
      args.from = argv[++i];
      args.only = true;
    }
    else if (a === '--out') args.out = resolve(argv[++i]);
    else if (a === '--help' || a === '-h') {
      console.log('usage: npm run data -- [--dataset mnist|fashion] [--from DIR | --only DIR] [--if-missing]\n  sources: DIR, then $MNIST_DIR, then ../shared/mnist, then the public mirrors; --only DIR uses DIR alone.');
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (try --help)`);
  }
  if (args.dataset === 'fashion-mnist') args.dataset = 'fashion';
  if (!(args.dataset in DATASETS)) throw new Error(`unknown dataset "${args.dataset}": use mnist or fashion`);
  return args;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Returns null when `bytes` is a genuine copy of `name`, else the reason it is not. */
export function verify(name, expected, bytes) {
  const gz = sha256(bytes);
  if (expected.gzSha256 && gz === expected.gzSha256) return null;
  let content;
  try {
    content = gunzipSync(bytes);
  } catch (e) {
    return `${name} is not a complete gzip file (${e.code ?? e.message}); SHA-256 of the file is ${gz}, expected ${expected.gzSha256 ?? `contents ${expected.contentSha256}`}`;
  }
  const got = sha256(content);
  if (got === expected.contentSha256) return null;
  const size = content.length === expected.contentBytes ? '' : ` (${content.length} bytes uncompressed, expected ${expected.contentBytes})`;
  return `${name} has the wrong contents${size}: SHA-256 of the file ${gz}${expected.gzSha256 ? `, expected ${expected.gzSha256}` : ''}; of its contents ${got}, expected ${expected.contentSha256}`;
}

async function download(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Writes to a temporary name and renames only after the bytes were verified. */
function writeAtomically(path, bytes) {
  const tmp = `${path}.partial-${process.pid}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const ds = DATASETS[args.dataset];
  const outDir = join(args.out, ds.dir);
  const names = Object.keys(ds.files);
  const isGood = (n) => existsSync(join(outDir, n)) && verify(n, ds.files[n], readFileSync(join(outDir, n))) === null;
  if (args.ifMissing && names.every(isGood)) return;
  mkdirSync(outDir, { recursive: true });

  const envDir = args.dataset === 'mnist' ? process.env.MNIST_DIR : process.env.FASHION_MNIST_DIR;
  const dirs = (args.only ? [args.from] : [args.from, envDir, ...ds.localSources.map((d) => resolve(root, d))]).filter(Boolean).map((d) => resolve(d));
  const mirrors = args.only ? [] : ds.mirrors;
  const failures = [];
  for (const name of names) {
    const expected = ds.files[name];
    const dest = join(outDir, name);
    if (isGood(name)) {
      console.log(`ok       ${name} (already in ${outDir})`);
      continue;
    }
    rmSync(dest, { force: true });
    const refusals = [];
    let placed = false;
    for (const dir of dirs) {
      const src = join(dir, name);
      if (!existsSync(src)) continue;
      const bytes = readFileSync(src);
      const why = verify(name, expected, bytes);
      if (why) {
        refusals.push(`refused ${src}: ${why}`);
        console.warn(`refused  ${src}: ${why}`);
        continue;
      }
      writeAtomically(dest, bytes);
      console.log(`copied   ${name} from ${dir}`);
      placed = true;
      break;
    }
    for (const mirror of placed ? [] : mirrors) {
      try {
        const bytes = await download(mirror + name);
        const why = verify(name, expected, bytes);
        if (why) {
          refusals.push(`refused ${mirror}${name}: ${why}`);
          console.warn(`refused  ${mirror}${name}: ${why}`);
          continue;
        }
        writeAtomically(dest, bytes);
        console.log(`fetched  ${name} from ${mirror}`);
        placed = true;
        break;
      } catch (e) {
        refusals.push(`could not download ${mirror}${name}: ${e.message}`);
      }
    }
    if (!placed) failures.push({ name, refusals });
  }
  if (failures.length > 0) {
    for (const f of failures) {
      console.error(`\n✗ ${f.name}: no verified copy found.`);
      for (const r of f.refusals.filter((r) => !r.startsWith('refused'))) console.error(`  - ${r}`);
      if (f.refusals.length === 0) console.error(`  - not found in ${dirs.join(', ') || '(no local directories)'} and no mirror was reachable`);
    }
    console.error(
      `\nWhat to do: put the four original ${ds.title} .gz files in a folder and run ` +
        `\`npm run data -- --dataset ${args.dataset} --from /that/folder\` (or set ${args.dataset === 'mnist' ? 'MNIST_DIR' : 'FASHION_MNIST_DIR'}), ` +
        `or connect to the internet so the mirrors can be reached. A damaged copy must be replaced, not kept.`,
    );
    process.exit(1);
  }
  console.log(`${ds.title} is ready in ${outDir}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`npm run data: ${e.message}`);
    process.exit(1);
  });
}
