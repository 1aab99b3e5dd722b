#!/usr/bin/env node
// Why: proves the ONNX export end to end. For each preset the app (headless Chromium, its own worker)
// trains briefly and writes model.onnx and its predictions for the 10,000 MNIST test images; then
// (1) the ONNX checker (python3-onnx, full check with shape inference) must accept the file, and
// (2) onnxruntime-web, here in Node (its wasm backend), must predict the same class as the app for
// ≥ 99.9% of the test images. Without python3-onnx the checker step says SKIPPED (fails with --require).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as ort from 'onnxruntime-web';
import { startBrowser } from './serve.mjs';

const started = performance.now();
const args = process.argv.slice(2);
const require = args.includes('--require');
const presets = (args.find((a) => a.startsWith('--presets='))?.slice(10) ?? 'bn-dropout,lenet-5,all-conv,small-resnet').split(',');
const MIN_AGREEMENT = 0.999;
const MEAN = 0.1307;
const STD = 0.3081;
const CLASSES = 10;

const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0);
if (!process.env.SKIP_BUILD) execFileSync('npx', ['vite', 'build', '--mode', 'test', '--logLevel', 'warn'], { stdio: 'inherit' });
execFileSync(process.execPath, ['tools/fetch-data.mjs', '--if-missing'], { stdio: 'inherit' });

/** [count, 28·28] normalised test images from the IDX file, as the app feeds them. */
function testImages() {
  const raw = gunzipSync(readFileSync('public/data/mnist/t10k-images-idx3-ubyte.gz'));
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const [count, rows, cols] = [view.getUint32(4), view.getUint32(8), view.getUint32(12)];
  const x = new Float32Array(count * rows * cols);
  for (let i = 0; i < x.length; i++) x[i] = (raw[16 + i] / 255 - MEAN) / STD;
  return { count, rows, cols, x };
}

/** The `probabilities` tensor [N, 10] of an app predictions file (safetensors). */
function appProbabilities(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const info = header.probabilities;
  const [begin, end] = info.data_offsets;
  // A copy (Buffer#slice would share the whole backing store), so the floats start at offset 0.
  return new Float32Array(Uint8Array.prototype.slice.call(bytes, 8 + n + begin, 8 + n + end).buffer);
}

const argmax = (a, row) => {
  let best = 0;
  for (let k = 1; k < CLASSES; k++) if (a[row * CLASSES + k] > a[row * CLASSES + best]) best = k;
  return best;
};

ort.env.wasm.numThreads = 1;
const images = testImages();
const { url, browser, close } = await startBrowser({ port: 4184 });
let failed = false;
try {
  for (const preset of presets) {
    const page = await browser.newPage();
    const done = new Promise((resolve) => page.on('console', (m) => (m.text() === 'done' || m.text().startsWith('error ')) && resolve(m.text())));
    page.on('console', (m) => console.log(`[${preset}] ${m.text()}`));
    await page.goto(`${url}harness.html?mode=export&preset=${preset}&steps=${preset === 'mlp' ? 40 : 15}`);
    if ((await done) !== 'done') throw new Error(`${preset}: the export run failed`);
    const out = await page.evaluate(() => ({ onnx: window.__convplayExport.onnx, predictions: window.__convplayExport.predictions }));
    await page.close();
    const dir = mkdtempSync(join(tmpdir(), `convplay-onnx-${preset}-`));
    const file = join(dir, 'model.onnx');
    const onnxBytes = Buffer.from(out.onnx, 'base64');
    writeFileSync(file, onnxBytes);

    if (python) {
      const r = spawnSync(python, ['-c', 'import onnx, sys\nm = onnx.load(sys.argv[1])\nonnx.checker.check_model(m, full_check=True)\nprint("onnx checker: valid (ir_version %d, opset %d, onnx %s)" % (m.ir_version, m.opset_import[0].version, onnx.__version__))', file], { encoding: 'utf8' });
      process.stdout.write(`[${preset}] ${r.stdout}${r.stderr}`);
      if (r.status !== 0) failed = true;
    } else {
      console.log(`[${preset}] onnx checker: SKIPPED — no python3 with onnx here (Debian: apt-get install python3-onnx)`);
      if (require) failed = true;
    }

    const app = appProbabilities(Buffer.from(out.predictions, 'base64'));
    const count = app.length / CLASSES;
    const session = await ort.InferenceSession.create(onnxBytes);
    const size = images.rows * images.cols;
    let agree = 0;
    let worst = 0;
    for (let start = 0; start < count; start += 1000) {
      const n = Math.min(1000, count - start);
      const input = new ort.Tensor('float32', images.x.subarray(start * size, (start + n) * size), [n, 1, images.rows, images.cols]);
      const result = await session.run({ input });
      const probs = result.probabilities.data;
      for (let r = 0; r < n; r++) {
        if (argmax(probs, r) === argmax(app, start + r)) agree++;
        for (let k = 0; k < CLASSES; k++) worst = Math.max(worst, Math.abs(probs[r * CLASSES + k] - app[(start + r) * CLASSES + k]));
      }
    }
    await session.release();
    const ok = agree / count >= MIN_AGREEMENT;
    console.log(`[${preset}] onnxruntime-web ${ort.env.versions.web} (Node, wasm): ${count} images, argmax agreement with the app ${((100 * agree) / count).toFixed(2)}% (need ≥ ${100 * MIN_AGREEMENT}%), max |Δprob| ${worst.toExponential(2)}, ${onnxBytes.length} bytes — ${ok ? 'PASS' : 'FAIL'}`);
    if (!ok) failed = true;
  }
} catch (e) {
  console.log(`FAIL: ${e instanceof Error ? e.message : String(e)}`);
  failed = true;
} finally {
  await close();
}
console.log(`${failed ? 'check:onnx-export FAILED' : 'check:onnx-export PASS'} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
process.exit(failed ? 1 : 0);
