// Why: the worker owns the GPU device and the datasets, so the page stays responsive and never
// touches WebGPU itself. It answers each command with one event (or an error naming the command).
import { loadDataset, type Dataset } from '../data/mnist';
import { Gpu, WebGpuUnavailableError } from '../gpu';
import type { DatasetName, Envelope, WorkerEvent } from './protocol';

/** The parts of DedicatedWorkerGlobalScope we use (the WebWorker lib clashes with the DOM lib). */
interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<Envelope>) => void): void;
  location: { origin: string };
}
const scope = self as unknown as WorkerScope;
let gpu: Gpu | undefined;
const datasets = new Map<DatasetName, Promise<Dataset>>();

function post(event: WorkerEvent, transfer: Transferable[] = []): void {
  scope.postMessage(event, transfer);
}

function dataset(name: DatasetName): Promise<Dataset> {
  let d = datasets.get(name);
  if (!d) {
    // The worker's base URL is the page's origin root; assets live under /data/<name>/.
    d = loadDataset(name, { base: new URL(import.meta.env.BASE_URL, scope.location.origin).href }) as Promise<Dataset>;
    d.catch(() => datasets.delete(name));
    datasets.set(name, d);
  }
  return d;
}

async function handle(cmd: Envelope): Promise<void> {
  switch (cmd.type) {
    case 'init': {
      try {
        gpu ??= await Gpu.create();
      } catch (e) {
        if (e instanceof WebGpuUnavailableError) {
          post({ type: 'gpu-unavailable', replyTo: cmd.id, message: e.message, help: e.help });
          return;
        }
        throw e;
      }
      const g = gpu;
      g.onLost((info) => post({ type: 'device-lost', reason: info.reason, message: info.message }));
      post({ type: 'ready', replyTo: cmd.id, adapter: { ...g.adapter, limits: { ...g.limits } } });
      return;
    }
    case 'load-dataset': {
      const d = await dataset(cmd.dataset);
      post({ type: 'dataset-loaded', replyTo: cmd.id, dataset: cmd.dataset, trainCount: d.train.count, testCount: d.test.count, classNames: d.classNames });
      return;
    }
    case 'get-samples': {
      const d = await dataset(cmd.dataset);
      const split = cmd.split === 'train' ? d.train : d.test;
      const start = Math.max(0, Math.min(cmd.start, split.count));
      const end = Math.min(split.count, start + Math.max(0, cmd.count));
      const px = split.rows * split.cols;
      const images = split.images.slice(start * px, end * px);
      const labels = split.labels.slice(start, end);
      post({ type: 'samples', replyTo: cmd.id, dataset: cmd.dataset, split: cmd.split, start, rows: split.rows, cols: split.cols, images, labels }, [images.buffer, labels.buffer]);
      return;
    }
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
