// Why: the worker loads each dataset's files once, whether or not a GPU session exists (the page shows
// digits even without WebGPU); the session and the command handler share this one cache.
import { loadDataset, type Dataset } from '../data/mnist';
import type { DatasetName } from './protocol';

export class DatasetCache {
  #baseUrl: string;
  #loaded = new Map<DatasetName, Promise<Dataset>>();
  readonly #onBytes?: (dataset: DatasetName, loaded: number, total: number) => void;

  /** onBytes: how many bytes of a dataset's files have arrived (the first load can take a while). */
  constructor(baseUrl: string, onBytes?: (dataset: DatasetName, loaded: number, total: number) => void) {
    this.#baseUrl = baseUrl;
    this.#onBytes = onBytes;
  }

  /** Loads (once) both splits of a dataset; a failed load is forgotten so it can be retried. */
  get(name: DatasetName): Promise<Dataset> {
    let d = this.#loaded.get(name);
    if (!d) {
      const onBytes = this.#onBytes;
      d = loadDataset(name, { base: this.#baseUrl, ...(onBytes && { onBytes: (loaded: number, total: number) => onBytes(name, loaded, total) }) }) as Promise<Dataset>;
      d.catch(() => this.#loaded.delete(name));
      this.#loaded.set(name, d);
    }
    return d;
  }
}
