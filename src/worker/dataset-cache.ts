// Why: the worker loads each dataset's files once, whether or not a GPU session exists (the page shows
// digits even without WebGPU); the session and the command handler share this one cache. Each split is
// loaded and kept on its own, so a damaged training file never hides the test images that loaded fine.
import { CLASS_NAMES, loadDataset, type Dataset } from '../data/mnist';
import type { LabelledImages } from '../data/idx';
import type { DatasetName, Split } from './protocol';

export class DatasetCache {
  #baseUrl: string;
  #loaded = new Map<string, Promise<LabelledImages>>();

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl;
  }

  /** Loads (once) one split; a failed load is forgotten so it can be retried. */
  split(name: DatasetName, split: Split): Promise<LabelledImages> {
    const key = `${name}:${split}`;
    let d = this.#loaded.get(key);
    if (!d) {
      d = loadDataset(name, { base: this.#baseUrl, splits: [split] }).then((ds) => ds[split]!);
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
}
