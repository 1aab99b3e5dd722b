// Why: Chromium on Linux will not give a page a WebGPU adapter on a headless machine with an NVIDIA GPU
// (it only exposes Dawn's Vulkan backend when its own compositor runs on Vulkan, which headless never
// does). Dawn itself works there, so this script runs the worker's Session — the same engine, kernels
// and training loop the app uses — in Node on Dawn (the `webgpu` npm package is Chromium's WebGPU
// implementation built for Node), to measure convplay on a real GPU. Built with `vite build --ssr`:
//   npx vite build --ssr tools/dawn/run.ts --outDir <dir>   (see tools/dawn/README.md)
//   node <dir>/run.js bench --batch 100 --steps 300 | epoch | train --preset bn-dropout --epochs 5
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { PresetId, TrainConfig } from '../../src/model';
import type { WorkerEvent } from '../../src/worker/protocol';

interface Dawn {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

const args = process.argv.slice(2);
const mode = args[0] ?? 'bench';
const opt = (name: string, fallback?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};

/** Serves the dataset folder (public/data layout) on localhost: the session loads files by URL. */
function serve(dir: string): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const file = path.join(dir, path.normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const port = (server.address() as { port: number }).port;
    resolve({ url: `http://127.0.0.1:${port}/`, close: () => server.close() });
  }));
}

async function main(): Promise<void> {
  const dawn = (await import(opt('webgpu', 'webgpu')!)) as Dawn;
  Object.assign(globalThis, dawn.globals);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: dawn.create([]) }, configurable: true });
  // The engine reads WebGPU's globals (GPUBufferUsage, …) when its modules load: import it only now.
  const { getPreset, newTrainConfig } = await import('../../src/model');
  const { DatasetCache } = await import('../../src/worker/dataset-cache');
  const { Session } = await import('../../src/worker/session');
  const data = await serve(opt('data', 'public')!);
  // The pages fetch data by path ('/data/mnist/…'); Node's fetch needs the server's origin.
  const fetchAbsolute = globalThis.fetch;
  globalThis.fetch = (input, init) => fetchAbsolute(typeof input === 'string' && input.startsWith('/') ? new URL(input, data.url) : input, init);
  if (mode === 'tfjs') {
    // The benchmark's TF.js webgpu row on the same device: the bench page's own code.
    const { benchTfjs } = await import('../../src/bench/tfjs-training');
    const batch = Number(opt('batch', '100'));
    const r = await benchTfjs({ peer: 'tfjs-webgpu', batch, warmupSteps: Number(opt('warmup', '5')), steps: Number(opt('steps', '100')) }, (l) => console.log(l));
    console.log(`result mode=tfjs-webgpu batch=${batch} steps=${r.steps} ms_per_step=${r.msPerStep.toFixed(2)} samples_per_s=${r.samplesPerSecond.toFixed(0)} warmup_ms=${r.warmupMs.toFixed(0)} first_loss=${r.firstLoss.toFixed(3)} last_loss=${r.lastLoss.toFixed(3)}`);
    data.close();
    return;
  }
  const listeners = new Set<(e: WorkerEvent) => void>();
  const session = await Session.create((e) => listeners.forEach((l) => l(e)), new DatasetCache(data.url));
  const a = session.gpu.adapter;
  console.log(`adapter ${a.vendor} ${a.architecture} ${a.description} (${a.isSoftware ? 'software' : 'hardware'})`);
  const until = (pred: (e: WorkerEvent) => boolean) => new Promise<WorkerEvent>((resolve) => {
    const l = (e: WorkerEvent) => {
      if (pred(e)) {
        listeners.delete(l);
        resolve(e);
      }
    };
    listeners.add(l);
  });
  const paused = () => until((e) => e.type === 'paused' || e.type === 'error');

  const presetId = (opt('preset', 'reference-cnn') as PresetId);
  const preset = getPreset(presetId);
  const base = newTrainConfig({ ...preset.train });
  const config: TrainConfig = { ...base, batch: Number(opt('batch', String(base.batch))), epochs: Number(opt('epochs', mode === 'train' ? String(base.epochs) : '1')), seed: Number(opt('seed', '1')) };
  const built = await session.build(preset.spec, config);
  console.log(`built ${presetId}: ${built.params} parameters, batch ${config.batch}, ${built.stepsPerEpoch} steps/epoch, peak pool ${(session.memory().peakBytesLive / 2 ** 20).toFixed(1)} MiB`);

  if (mode === 'bench') {
    // Warm-up and timed steps stay inside the first epoch (no evaluation at its end in the timing).
    const warmup = 20;
    const want = Math.min(Number(opt('steps', '300')), built.stepsPerEpoch - warmup - 1);
    session.train(warmup, 'step');
    const start = (await paused()) as Extract<WorkerEvent, { type: 'paused' }>;
    const t0 = performance.now();
    session.train(want, 'step');
    const end = (await paused()) as Extract<WorkerEvent, { type: 'paused' }>;
    const ms = performance.now() - t0;
    const steps = end.step - start.step;
    const t1 = performance.now();
    const ev = await session.evaluate();
    const evalMs = performance.now() - t1;
    console.log(`result mode=bench batch=${config.batch} steps=${steps} ms_per_step=${(ms / steps).toFixed(2)} samples_per_s=${((steps * config.batch * 1000) / ms).toFixed(0)} eval_ms=${evalMs.toFixed(0)} test_accuracy=${ev.accuracy.toFixed(4)} peak_mib=${(session.memory().peakBytesLive / 2 ** 20).toFixed(1)}`);
  } else {
    // 'epoch' (one epoch) or 'train' (the configured epochs): a line per epoch, training time without evaluation.
    let epochStart = performance.now();
    let trainMs = 0;
    let last = { acc: 0, loss: 0 };
    const done = paused();
    listeners.add((e) => {
      if (e.type !== 'epoch-end') return;
      const ms = performance.now() - epochStart - e.evalMs;
      trainMs += ms;
      last = { acc: e.testAccuracy, loss: e.testLoss };
      console.log(`epoch ${e.epoch + 1}: test accuracy ${(e.testAccuracy * 100).toFixed(2)}%, loss ${e.testLoss.toFixed(4)}; train ${(ms / 1000).toFixed(2)} s (${((built.stepsPerEpoch * config.batch * 1000) / ms).toFixed(0)} samples/s), evaluate ${e.evalMs.toFixed(0)} ms`);
      epochStart = performance.now();
    });
    session.train();
    const end = await done;
    if (end.type !== 'paused' || end.reason !== 'finished') throw new Error(`training ended: ${JSON.stringify(end)}`);
    console.log(`result preset=${presetId} test_accuracy=${last.acc.toFixed(4)} test_loss=${last.loss.toFixed(4)} epochs=${config.epochs} samples_per_s=${((config.epochs * built.stepsPerEpoch * config.batch * 1000) / trainMs).toFixed(0)}`);
  }
  session.dispose();
  data.close();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
