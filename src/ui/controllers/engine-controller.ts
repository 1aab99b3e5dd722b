// Why: the engine worker's lifecycle, apart from the page's layout: start it (init, the adapter, the
// datasets and the sample images), restart it after a crash (keeping the design; the kept weights can
// be restored), and install the test hooks. <cp-app> reads its state and renders it.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Dataset } from '../../model';
import { EngineClient } from '../../worker/engine-client';
import type { AdapterReport } from '../../worker/protocol';
import type { DigitSamples } from '../components/cp-digit-grid';
import type { InspectController } from './inspect-controller';
import type { TrainingController } from './training-controller';

/** Test hooks, installed on `window.__convplayDebug` only in the test build and when the page URL has `?debug=1`. */
export interface ConvplayDebug {
  /** Destroys the worker's GPUDevice (as a driver reset would); the worker recovers. */
  loseDevice(): Promise<void>;
  /** Makes the worker throw an uncaught error (it dies; the page restarts it). */
  crashWorker(): Promise<void>;
}

export type GpuState = { kind: 'starting' } | { kind: 'ready'; adapter: AdapterReport } | { kind: 'unavailable'; message: string; help: string };

export class EngineController implements ReactiveController {
  gpu: GpuState = { kind: 'starting' };
  samples?: DigitSamples;
  dataError?: string;
  datasets: Partial<Record<Dataset, boolean>> = { mnist: true };
  /** The worker crashed and was restarted: why, and whether the restart is done. */
  crash?: { message: string; restarted: boolean };
  client?: EngineClient;
  /** Bytes of the dataset files arrived so far (the first load), until the samples are shown. */
  dataBytes?: { loaded: number; total: number };

  readonly #host: ReactiveControllerHost;
  readonly #training: TrainingController;
  readonly #inspect: InspectController;
  #samplesDataset: Dataset = 'mnist';

  readonly #others: readonly { attach(client: EngineClient): void }[];

  /** others: more controllers that talk to the engine (attached to each new worker). */
  constructor(host: ReactiveControllerHost, training: TrainingController, inspect: InspectController, others: readonly { attach(client: EngineClient): void }[] = []) {
    this.#host = host;
    this.#training = training;
    this.#inspect = inspect;
    this.#others = others;
    host.addController(this);
  }

  hostConnected(): void {
    const client = new EngineClient();
    this.client = client;
    this.#training.attach(client);
    this.#inspect.attach(client);
    for (const o of this.#others) o.attach(client);
    client.listen((e) => {
      if (e.type === 'worker-crashed') void this.#restartWorker(client, e.message);
      if (e.type === 'data-progress' && !this.samples) {
        this.dataBytes = { loaded: e.loaded, total: e.total };
        this.#host.requestUpdate();
      }
    });
    // The production build drops this branch: MODE is replaced by a constant at build time.
    if (import.meta.env.MODE === 'test' && new URLSearchParams(window.location.search).get('debug') === '1') {
      const hooks: ConvplayDebug = {
        loseDevice: async () => void (await client.request({ type: 'debug', action: 'lose-device' })),
        crashWorker: async () => void (await client.request({ type: 'debug', action: 'crash' })),
      };
      window.__convplayDebug = hooks;
    }
    void this.#start(client);
  }

  hostDisconnected(): void {
    this.client?.terminate();
  }

  get ready(): boolean {
    return this.gpu.kind === 'ready';
  }

  dismissCrash(): void {
    this.crash = undefined;
    this.#host.requestUpdate();
  }

  async #start(client: EngineClient): Promise<void> {
    const init = await client.request({ type: 'init' });
    this.gpu = init.type === 'ready' ? { kind: 'ready', adapter: init.adapter } : { kind: 'unavailable', message: init.message, help: init.help };
    this.#host.requestUpdate();
    await this.#loadDataset(client, 'mnist');
    // Fashion-MNIST is optional: offer it only when its files load.
    try {
      await client.request({ type: 'load-dataset', dataset: 'fashion-mnist' });
      this.datasets = { ...this.datasets, 'fashion-mnist': true };
    } catch {
      this.datasets = { ...this.datasets, 'fashion-mnist': false };
    }
    this.#host.requestUpdate();
  }

  /** The picker shows test images of the dataset being trained on. */
  async loadSamples(dataset: Dataset, force = false): Promise<void> {
    const client = this.client;
    if (!client || (dataset === this.#samplesDataset && !force)) return;
    this.#samplesDataset = dataset;
    await this.#loadDataset(client, dataset);
  }

  /**
   * Loads a dataset (both splits, for training) and shows its first test images. The two are separate:
   * a damaged training file is reported without hiding the test images that loaded fine.
   */
  async #loadDataset(client: EngineClient, dataset: Dataset): Promise<void> {
    const errors: string[] = [];
    const [loaded, samples] = await Promise.allSettled([
      client.request({ type: 'load-dataset', dataset }),
      client.request({ type: 'get-samples', dataset, split: 'test', start: 0, count: 16 }),
    ]);
    if (samples.status === 'fulfilled') {
      const s = samples.value;
      this.samples = { rows: s.rows, cols: s.cols, channels: s.channels, images: s.images, labels: s.labels, classNames: s.classNames };
    } else {
      this.samples = undefined;
      errors.push(samples.reason instanceof Error ? samples.reason.message : String(samples.reason));
    }
    if (loaded.status === 'rejected') {
      const m = loaded.reason instanceof Error ? loaded.reason.message : String(loaded.reason);
      if (!errors.includes(m)) errors.push(m);
    }
    this.dataError = errors.length ? errors.join(' ') : undefined;
    this.#host.requestUpdate();
  }

  /** The test images of class `actual` that `predictions` put in `predicted`, searched in the worker
   *  (where the images are): every index, and the first `limit` images. */
  findMisclassified(dataset: Dataset, predictions: Uint8Array, actual: number, predicted: number, limit: number) {
    // A copy goes to the worker: the evaluation keeps its predictions for later clicks.
    return this.client?.request({ type: 'find-misclassified', dataset, predictions: predictions.slice(), actual, predicted, limit });
  }

  /** The worker died: bring up a fresh one, init it, keep the design; the kept weights can be restored. */
  async #restartWorker(client: EngineClient, message: string): Promise<void> {
    this.crash = { message, restarted: false };
    this.#inspect.live(false);
    client.restart();
    this.#training.workerRestarted();
    this.#inspect.clear();
    this.#samplesDataset = 'mnist';
    this.gpu = { kind: 'starting' };
    this.#host.requestUpdate();
    await this.#start(client);
    if (this.crash?.message === message) this.crash = { message, restarted: true };
    this.#host.requestUpdate();
  }
}

declare global {
  interface Window {
    /** Test hooks (only with ?debug=1); see ConvplayDebug. */
    __convplayDebug?: ConvplayDebug;
  }
}
