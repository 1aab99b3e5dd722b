// Why: browsing the whole test set (by number, class, at random, or only the misclassified) needs
// every test label and picture on the page: fetched once per dataset (7.8 MB for MNIST) from the
// worker's dataset cache, when the look-inside section is first shown for that dataset.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EngineClient } from '../../worker/engine-client';
import type { DatasetName } from '../../worker/protocol';

export interface TestSet {
  dataset: DatasetName;
  rows: number;
  cols: number;
  /** Colour planes per image (1 or 3). */
  channels: number;
  images: Uint8Array;
  labels: Uint8Array;
}

export class TestSetController implements ReactiveController {
  set?: TestSet;
  error = '';
  readonly #host: ReactiveControllerHost;
  readonly #dataset: () => DatasetName | undefined;
  #client?: EngineClient;
  #loading?: DatasetName;
  /** A dataset whose test set failed to load is not asked for again (the error is shown). */
  #failed?: DatasetName;

  /** dataset(): the dataset to browse (undefined: none yet). */
  constructor(host: ReactiveControllerHost, dataset: () => DatasetName | undefined) {
    this.#host = host;
    this.#dataset = dataset;
    host.addController(this);
  }

  attach(client: EngineClient): void {
    this.#client = client;
    this.set = undefined;
    this.#loading = undefined;
  }

  /** A dataset was replaced (the user's): forget its images so the new ones are fetched. */
  forget(dataset: DatasetName): void {
    if (this.set?.dataset === dataset) this.set = undefined;
    if (this.#failed === dataset) this.#failed = undefined;
    if (this.#loading === dataset) this.#loading = undefined;
  }

  hostUpdated(): void {
    const want = this.#dataset();
    if (!want || !this.#client || this.set?.dataset === want || this.#loading === want || this.#failed === want) return;
    void this.#load(this.#client, want);
  }

  async #load(client: EngineClient, dataset: DatasetName): Promise<void> {
    this.#loading = dataset;
    try {
      const loaded = await client.request({ type: 'load-dataset', dataset });
      const r = await client.request({ type: 'get-samples', dataset, split: 'test', start: 0, count: loaded.testCount });
      if (this.#loading === dataset) this.set = { dataset, rows: r.rows, cols: r.cols, channels: r.channels, images: r.images, labels: r.labels };
      this.error = '';
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      this.#failed = dataset;
    } finally {
      if (this.#loading === dataset) this.#loading = undefined;
      this.#host.requestUpdate();
    }
  }
}
