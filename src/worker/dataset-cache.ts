// Why: the worker loads each dataset's files once, whether or not a GPU session exists (the page shows
// digits even without WebGPU); the session and the command handler share this one cache.
import { loadDataset, type Dataset } from '../data/mnist';
import type { DatasetName } from './protocol';

export class DatasetCache {
  #baseUrl: string;
  #loaded = new Map<DatasetName, Promise<Dataset>>();

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl;
  }

  /** Loads (once) both splits of a dataset; a failed load is forgotten so it can be retried. */
  get(name: DatasetName): Promise<Dataset> {
    let d = this.#loaded.get(name);
    if (!d) {
      d = loadDataset(name, { base: this.#baseUrl }) as Promise<Dataset>;
      d.catch(() => this.#loaded.delete(name));
      this.#loaded.set(name, d);
    }
    return d;
  }
}
