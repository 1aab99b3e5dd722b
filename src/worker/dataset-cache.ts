// Why: the worker loads each dataset's files once, whether or not a GPU session exists (the page shows
// digits even without WebGPU); the session and the command handler share this one cache. Each split is
// loaded and kept on its own, so a damaged training file never hides the test images that loaded fine.
import { CLASS_NAMES, loadDataset, type Dataset } from '../data/mnist';
import type { LabelledImages } from '../data/idx';
import type { DatasetName, Split } from './protocol';

export class DatasetCache {
  #baseUrl: string;
  #loaded = new Map<string, Promise<LabelledImages>>();
  readonly #onBytes?: (dataset: DatasetName, loaded: number, total: number) => void;
  /** Bytes arrived (and announced) per split being fetched, summed per dataset for onBytes. */
  #bytes = new Map<string, { loaded: number; total: number }>();

  /** onBytes: how many bytes of a dataset's files have arrived (the first load can take a while). */
  constructor(baseUrl: string, onBytes?: (dataset: DatasetName, loaded: number, total: number) => void) {
    this.#baseUrl = baseUrl;
    this.#onBytes = onBytes;
  }

  /** Loads (once) one split; a failed load is forgotten so it can be retried. */
  split(name: DatasetName, split: Split): Promise<LabelledImages> {
    const key = `${name}:${split}`;
    let d = this.#loaded.get(key);
    if (!d) {
      const onBytes = this.#onBytes && ((loaded: number, total: number) => this.#progress(name, key, loaded, total));
      d = loadDataset(name, { base: this.#baseUrl, splits: [split], ...(onBytes && { onBytes }) }).then((ds) => ds[split]!);
      d.catch(() => this.#loaded.delete(key));
      this.#loaded.set(key, d);
    }
    return d;
  }

  /** Both splits of a dataset (training needs them both). */
  async get(name: DatasetName): Promise<Dataset> {
    const [train, test] = await Promise.all([this.split(name, 'train'), this.split(name, 'test')]);
    return { name, train, test, classNames: CLASS_NAMES[name] };
  }

  #progress(name: DatasetName, key: string, loaded: number, total: number): void {
    this.#bytes.set(key, { loaded, total });
    let sumLoaded = 0;
    let sumTotal = 0;
    for (const [k, b] of this.#bytes) {
      if (!k.startsWith(`${name}:`)) continue;
      sumLoaded += b.loaded;
      sumTotal += b.total;
    }
    this.#onBytes?.(name, sumLoaded, sumTotal);
  }
}
