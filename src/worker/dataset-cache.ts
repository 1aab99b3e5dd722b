// Why: the worker loads each dataset's files once, whether or not a GPU session exists (the page shows
// digits even without WebGPU); the session and the command handler share this one cache. Each split is
// loaded and kept on its own, so a damaged training file never hides the test images that loaded fine.
// The user's own dataset ('own') comes from the browser's storage instead, and can be replaced.
import { loadDataset } from '../data/mnist';
import type { LabelledImages } from '../data/idx';
import { BUILTIN_DATASETS, type DatasetDescriptor } from '../model';
import type { OwnDataset } from './dataset-import';
import { datasetStore } from './dataset-store';
import type { DatasetName, Split } from './protocol';

/** A dataset with both splits, its descriptor (shape, classes, normalisation). */
export interface LoadedDataset {
  name: DatasetName;
  train: LabelledImages;
  test: LabelledImages;
  classNames: readonly string[];
  descriptor: DatasetDescriptor;
}

export class NoOwnDatasetError extends Error {
  override name = 'NoOwnDatasetError';
  constructor() {
    super('There is no dataset of your own images yet: build one in "Your images" (drop a folder of class folders).');
  }
}

export class DatasetCache {
  #baseUrl: string;
  #loaded = new Map<string, Promise<LabelledImages>>();
  readonly #onBytes?: (dataset: DatasetName, loaded: number, total: number) => void;
  /** Bytes arrived (and announced) per split being fetched, summed per dataset for onBytes. */
  #bytes = new Map<string, { loaded: number; total: number }>();
  /** The user's dataset: undefined until asked for, then what the store held (null: none). */
  #own?: Promise<OwnDataset | null>;
  /** Bumped whenever the user's dataset is replaced or deleted (the GPU copy must follow). */
  ownVersion = 0;

  /** onBytes: how many bytes of a dataset's files have arrived (the first load can take a while). */
  constructor(baseUrl: string, onBytes?: (dataset: DatasetName, loaded: number, total: number) => void) {
    this.#baseUrl = baseUrl;
    this.#onBytes = onBytes;
  }

  /** Loads (once) one split; a failed load is forgotten so it can be retried. */
  split(name: DatasetName, split: Split): Promise<LabelledImages> {
    if (name === 'own') return this.ownDataset().then((d) => d[split]);
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
  async get(name: DatasetName): Promise<LoadedDataset> {
    if (name === 'own') {
      const d = await this.ownDataset();
      return { name, train: d.train, test: d.test, classNames: d.descriptor.classNames, descriptor: d.descriptor };
    }
    const [train, test] = await Promise.all([this.split(name, 'train'), this.split(name, 'test')]);
    const descriptor = { ...BUILTIN_DATASETS[name], trainCount: train.count, testCount: test.count };
    return { name, train, test, classNames: descriptor.classNames, descriptor };
  }

  /** The stored user dataset, or null (read from the browser's storage once). */
  own(): Promise<OwnDataset | null> {
    this.#own ??= datasetStore.load().then((d) => d ?? null);
    this.#own.catch(() => (this.#own = undefined));
    return this.#own;
  }

  async ownDataset(): Promise<OwnDataset> {
    const d = await this.own();
    if (!d) throw new NoOwnDatasetError();
    return d;
  }

  /** Replaces (or, with null, deletes) the user's dataset here; the caller stores it. */
  setOwn(d: OwnDataset | null): void {
    this.#own = Promise.resolve(d);
    this.ownVersion++;
  }

  /** The class names of a dataset (built-in: known without loading). */
  async classNames(name: DatasetName): Promise<readonly string[]> {
    return name === 'own' ? (await this.ownDataset()).descriptor.classNames : BUILTIN_DATASETS[name].classNames;
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
