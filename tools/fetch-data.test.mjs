// Why: `npm run data` must refuse a damaged copy by name and leave nothing half-written.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DATASETS } from './datasets.mjs';
import { verify } from './fetch-data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const script = join(here, 'fetch-data.mjs');
const shared = resolve(here, '..', '..', 'shared', 'mnist');
const files = DATASETS.mnist.files;

test('accepts the canonical files and refuses a truncated one by name with both hashes', () => {
  const name = 't10k-labels-idx1-ubyte.gz';
  const good = readFileSync(join(shared, name));
  assert.equal(verify(name, files[name], good), null);
  const why = verify(name, files[name], good.subarray(0, good.length - 100));
  assert.match(why, /t10k-labels-idx1-ubyte\.gz/);
  assert.match(why, new RegExp(files[name].gzSha256));
});

test('refuses a file whose contents were changed, even when it is valid gzip', () => {
  const name = 't10k-labels-idx1-ubyte.gz';
  const content = gunzipSync(readFileSync(join(shared, name)));
  content[20] ^= 1;
  const why = verify(name, files[name], gzipSync(content));
  assert.match(why, /wrong contents/);
  assert.match(why, new RegExp(files[name].contentSha256));
});

test('with only a corrupted source, exits non-zero, names the file and leaves no partial file', () => {
  const src = mkdtempSync(join(tmpdir(), 'cp-src-'));
  const out = mkdtempSync(join(tmpdir(), 'cp-out-'));
  for (const n of Object.keys(files)) copyFileSync(join(shared, n), join(src, n));
  const victim = 't10k-images-idx3-ubyte.gz';
  writeFileSync(join(src, victim), readFileSync(join(src, victim)).subarray(0, 50_000));
  // --only: no other local copy and no mirror may rescue it.
  const r = spawnSync(process.execPath, [script, '--only', src, '--out', out], { encoding: 'utf8' });
  assert.notEqual(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /t10k-images-idx3-ubyte\.gz/);
  assert.match(r.stderr, /What to do/);
  const written = readdirSync(join(out, 'mnist'));
  assert.ok(!written.includes(victim), `damaged ${victim} must not be written`);
  assert.ok(written.every((f) => !f.includes('partial')), `no partial files: ${written.join(', ')}`);
  assert.equal(written.length, 3);
});

test('the real script copies verified files from the shared folder', () => {
  const out = mkdtempSync(join(tmpdir(), 'cp-out-'));
  execFileSync(process.execPath, [script, '--out', out], { encoding: 'utf8' });
  assert.deepEqual(readdirSync(join(out, 'mnist')).sort(), Object.keys(files).sort());
});

