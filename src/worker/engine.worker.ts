// Why: the worker owns the GPU device, the datasets and the training session, so the page stays
// responsive and never touches WebGPU itself. Each command is answered by one event (or an error that
// names the command); training events arrive on their own.
import { WebGpuUnavailableError } from '../gpu';
import { DatasetCache } from './dataset-cache';
import { DatasetImportError, importDataset } from './dataset-import';
import { exportDataset } from './dataset-export';
import { datasetStore, storageReport } from './dataset-store';
import type { DatasetName, Envelope, WorkerEvent } from './protocol';
import { findMisclassified } from './misclassified';
import { Session } from './session';

/** The parts of DedicatedWorkerGlobalScope we use (the WebWorker lib clashes with the DOM lib). */
interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<Envelope>) => void): void;
  location: { origin: string };
}
const scope = self as unknown as WorkerScope;
// The site's root folder, where data/ lives. The build uses relative paths (any host, any sub-path) and
// puts this worker in assets/, one level below the root; the dev server serves from its own root.
const baseUrl = import.meta.env.DEV ? new URL(import.meta.env.BASE_URL, scope.location.origin).href : new URL(/* @vite-ignore */ '../', import.meta.url).href;

function post(event: WorkerEvent, transfer: Transferable[] = []): void {
  scope.postMessage(event, transfer);
}

let session: Session | undefined;
/** Datasets can be shown before (or without) a GPU: a GPU-less session only loads files. */
let gpuError: WebGpuUnavailableError | undefined;

async function ensureSession(): Promise<Session> {
  if (session) {
    await session.settled();
    return session;
  }
  if (gpuError) throw gpuError;
  session = await Session.create(post, datasets);
  return session;
}

/** Dataset files need no GPU: the same cache serves commands with or without a session. */
let bytesPostedAt = 0;
const datasets = new DatasetCache(baseUrl, (dataset, loaded, total) => {
  // At most ten reports a second (the files arrive in many small chunks); the last one always.
  const now = performance.now();
  if (now - bytesPostedAt < 100 && loaded < total) return;
  bytesPostedAt = now;
  post({ type: 'data-progress', dataset, loaded, total });
});
const dataset = (name: DatasetName) => datasets.get(name);
/** Set by 'cancel-import'; the import in progress polls it between images. */
let cancelImport = false;

async function handle(cmd: Envelope): Promise<void> {
  const id = cmd.id;
  switch (cmd.type) {
    case 'init': {
      try {
        const { gpu } = await ensureSession();
        post({ type: 'ready', replyTo: id, adapter: { ...gpu.adapter, limits: { ...gpu.limits } } });
      } catch (e) {
        if (!(e instanceof WebGpuUnavailableError)) throw e;
        gpuError = e;
        post({ type: 'gpu-unavailable', replyTo: id, message: e.message, help: e.help });
      }
      return;
    }
    case 'load-dataset': {
      const d = await dataset(cmd.dataset);
      post({ type: 'dataset-loaded', replyTo: id, dataset: cmd.dataset, trainCount: d.train.count, testCount: d.test.count, classNames: d.classNames, descriptor: d.descriptor });
      return;
    }
    case 'get-samples': {
      // Only the split asked for: the test images show even when a training file is damaged.
      const split = await datasets.split(cmd.dataset, cmd.split);
      const start = Math.max(0, Math.min(cmd.start, split.count));
      const end = Math.min(split.count, start + Math.max(0, cmd.count));
      const channels = split.channels ?? 1;
      const px = channels * split.rows * split.cols;
      const images = split.images.slice(start * px, end * px);
      const labels = split.labels.slice(start, end);
      const classNames = await datasets.classNames(cmd.dataset);
      post({ type: 'samples', replyTo: id, dataset: cmd.dataset, split: cmd.split, start, rows: split.rows, cols: split.cols, channels, images, labels, classNames }, [images.buffer, labels.buffer]);
      return;
    }
    case 'find-misclassified': {
      const found = findMisclassified(await datasets.split(cmd.dataset, 'test'), cmd.predictions, cmd.actual, cmd.predicted, cmd.limit);
      post({ type: 'misclassified', replyTo: id, ...found }, [found.images.buffer]);
      return;
    }
    case 'build': {
      const s = await ensureSession();
      const t0 = performance.now();
      const r = await s.build(cmd.spec, cmd.config, cmd.subset, (p) => post({ type: 'build-progress', ...p }));
      post({ type: 'built', replyTo: id, ...r, memory: s.memory(), pipelines: s.gpu.pipelines.stats.created, buildMs: performance.now() - t0 });
      return;
    }
    case 'train':
      (await ensureSession()).train();
      post({ type: 'ok', replyTo: id });
      return;
    case 'pause':
      await (await ensureSession()).pause();
      post({ type: 'ok', replyTo: id });
      return;
    case 'step':
      await (await ensureSession()).step(cmd.count ?? 1);
      post({ type: 'ok', replyTo: id });
      return;
    case 'reset':
      await (await ensureSession()).reset();
      post({ type: 'ok', replyTo: id });
      return;
    case 'set-config': {
      const lr = await (await ensureSession()).setConfig(cmd.config);
      post({ type: 'config-set', replyTo: id, lr });
      return;
    }
    case 'evaluate': {
      const r = await (await ensureSession()).evaluate();
      post({ type: 'evaluated', replyTo: id, testLoss: r.loss, testAccuracy: r.accuracy, confusion: r.confusion, evalMs: r.ms, predictions: r.predictions }, [r.confusion.buffer, r.predictions.buffer]);
      return;
    }
    case 'inspect': {
      const r = await (await ensureSession()).explain.inspect(cmd.image);
      post({ type: 'inspected', replyTo: id, ...r }, [r.probabilities.buffer, r.input.buffer, ...r.layers.map((l) => l.data.buffer)]);
      return;
    }
    case 'explain-cell': {
      const cell = await (await ensureSession()).explain.explainCell(cmd.image, cmd.layerId, cmd.at);
      post({ type: 'cell-explained', replyTo: id, cell });
      return;
    }
    case 'gradients': {
      const report = await (await ensureSession()).explain.gradients(cmd.image);
      post({ type: 'gradients', replyTo: id, report });
      return;
    }
    case 'batch-norm-modes': {
      const modes = await (await ensureSession()).explain.batchNormModes(cmd.image, cmd.layerId, cmd.at);
      post({ type: 'batch-norm-modes', replyTo: id, modes });
      return;
    }
    case 'layer-times': {
      const r = await (await ensureSession()).layerTimes();
      post({ type: 'layer-times', replyTo: id, method: r.method, layers: r.layers });
      return;
    }
    case 'weights': {
      const r = await (await ensureSession()).explain.weights(cmd.layerId);
      post({ type: 'weights', replyTo: id, layerId: cmd.layerId, ...r }, [r.data.buffer, ...(r.bias ? [r.bias.buffer] : [])]);
      return;
    }
    case 'export-checkpoint': {
      const r = await (await ensureSession()).exportCheckpoint(cmd.includeOptimizer, cmd.healthy ?? false);
      post({ type: 'checkpoint', replyTo: id, ...r }, [r.bytes.buffer]);
      return;
    }
    case 'import-checkpoint': {
      const r = await (await ensureSession()).importCheckpoint(cmd.bytes, cmd.subset, (p) => post({ type: 'build-progress', ...p }));
      post({ type: 'checkpoint-loaded', replyTo: id, ...r });
      return;
    }
    case 'predict-test-set': {
      const r = await (await ensureSession()).predictTestSet();
      post({ type: 'test-predictions', replyTo: id, ...r }, [r.probabilities.buffer]);
      return;
    }
    case 'import-dataset': {
      cancelImport = false;
      const limits = session?.gpu.limits;
      const estimate = () => navigator.storage?.estimate?.() ?? Promise.resolve({});
      try {
        const { dataset: d, skipped } = await importDataset(cmd.files, cmd.options, {
          progress: (progress) => post({ type: 'import-progress', progress }),
          cancelled: () => cancelImport,
          ...(limits && { limits: { maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize, maxBufferSize: limits.maxBufferSize } }),
          estimate,
        });
        post({ type: 'import-progress', progress: { stage: 'storing', done: 0, total: 1 } });
        // Stored first: only a dataset that is safely kept replaces the one in use.
        await datasetStore.save(d);
        await session?.forgetDataset('own');
        datasets.setOwn(d);
        post({ type: 'dataset-imported', replyTo: id, descriptor: d.descriptor, skipped, storage: await storageReport(d) });
      } catch (e) {
        if (e instanceof DatasetImportError) throw e;
        throw new DatasetImportError('refused', `The import failed and your previous dataset is unchanged: ${e instanceof Error ? e.message : String(e)}`);
      }
      return;
    }
    case 'cancel-import':
      cancelImport = true;
      post({ type: 'ok', replyTo: id });
      return;
    case 'own-dataset': {
      const d = await datasets.own();
      post({ type: 'own-dataset', replyTo: id, descriptor: d?.descriptor ?? null, storage: await storageReport(d ?? undefined) });
      return;
    }
    case 'delete-dataset':
      await datasetStore.remove();
      await session?.forgetDataset('own');
      datasets.setOwn(null);
      post({ type: 'ok', replyTo: id });
      return;
    case 'export-dataset': {
      const r = await exportDataset(await datasets.ownDataset());
      post({ type: 'dataset-export', replyTo: id, ...r }, [r.bytes.buffer]);
      return;
    }
    case 'debug':
      if (import.meta.env.MODE !== 'test') throw new Error('debug commands exist only in the test build');
      if (cmd.action === 'lose-device') (await ensureSession()).loseDevice();
      // An uncaught error outside any handler: what a bug in the worker looks like to the page.
      else setTimeout(() => {
        throw new Error('debug: simulated worker crash');
      });
      post({ type: 'ok', replyTo: id });
      return;
    default:
      throw new Error(`unknown command ${(cmd satisfies never as { type: string }).type}`);
  }
}

scope.addEventListener('message', (e: MessageEvent<Envelope>) => {
  const cmd = e.data;
  handle(cmd).catch((err: unknown) => {
    post({ type: 'error', replyTo: cmd.id, kind: err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err) });
  });
});
