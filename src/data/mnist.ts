// Why: loads a dataset's four IDX.gz files from the page's own origin (put there by `npm run data`),
// inflates and parses them, and says precisely what is wrong when a file is missing or damaged.
import { GzipError, inflateIfGzipped } from './gunzip';
import { IdxError, parseImagesAndLabels, type LabelledImages } from './idx';

export type DatasetName = 'mnist' | 'fashion-mnist';

export interface Dataset {
  name: DatasetName;
  train: LabelledImages;
  test: LabelledImages;
  classNames: readonly string[];
}

export const CLASS_NAMES: Record<DatasetName, readonly string[]> = {
  mnist: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  'fashion-mnist': ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
};

export class DatasetMissingError extends Error {
  override name = 'DatasetMissingError';
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}. Run \`npm run data\` (or \`npm run data -- --dataset fashion\`) to put the dataset in public/data/.`);
  }
}

/** The URL folder a dataset is served from, relative to the app's base URL. */
export function datasetUrl(name: DatasetName, base: string = import.meta.env.BASE_URL): string {
  return `${base}data/${name}/`;
}

/**
 * Why a download failed. The browser says only "Failed to fetch" both when the network is down and when
 * a file served with Content-Encoding: gzip is damaged (it cannot inflate the body); the server still
 * answering a HEAD request for the file tells the two apart.
 */
async function failure(url: string, file: string, e: unknown): Promise<DatasetMissingError> {
  const why = e instanceof Error ? e.message : String(e);
  const head = await fetch(url, { method: 'HEAD', cache: 'no-store' }).catch(() => undefined);
  if (head?.ok && !(head.headers.get('content-type') ?? '').includes('text/html')) {
    return new DatasetMissingError(file, "is damaged or truncated (the browser could not decode the download)");
  }
  return new DatasetMissingError(file, `could not be fetched (${why})`);
}

/** Bytes fetched so far of a dataset's files, and their sizes as far as the server said. */
export interface ByteProgress {
  loaded: number;
  total: number;
  onChange(loaded: number, total: number): void;
}

async function fetchBytes(url: string, file: string, bytes?: ByteProgress): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw await failure(url, file, e);
  }
  // A dev server answers a missing file with its index.html, so an HTML reply means "not there".
  if (res.status === 404 || (res.headers.get('content-type') ?? '').includes('text/html')) {
    throw new DatasetMissingError(file, 'is not on the server');
  }
  if (!res.ok) throw new DatasetMissingError(file, `could not be fetched (HTTP ${res.status})`);
  if (!bytes || !res.body) {
    try {
      return new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      throw await failure(url, file, e);
    }
  }
  // Read the body as it arrives, so that a slow first load can say how far it is.
  // With a Content-Encoding (a server that gzips the .gz again, or marks it gzip) the length is of the
  // encoded body, while the reader yields decoded bytes: then the total is not known in advance.
  const encoded = (res.headers.get('content-encoding') ?? 'identity') !== 'identity';
  if (!encoded) bytes.total += Number(res.headers.get('content-length') ?? 0);
  const chunks: Uint8Array[] = [];
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes.loaded += value.length;
      bytes.onChange(bytes.loaded, bytes.total);
    }
  } catch (e) {
    throw await failure(url, file, e);
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function loadSplit(folder: string, prefix: 'train' | 't10k', bytes?: ByteProgress): Promise<LabelledImages> {
  const images = `${prefix}-images-idx3-ubyte.gz`;
  const labels = `${prefix}-labels-idx1-ubyte.gz`;
  const [imgGz, lblGz] = await Promise.all([fetchBytes(folder + images, images, bytes), fetchBytes(folder + labels, labels, bytes)]);
  try {
    const [img, lbl] = await Promise.all([inflateIfGzipped(imgGz, images), inflateIfGzipped(lblGz, labels)]);
    return parseImagesAndLabels(img, lbl, { images, labels });
  } catch (e) {
    // Same words, and the same way out, whichever check caught the damage.
    if (e instanceof GzipError || e instanceof IdxError) {
      const detail = e.message.slice(e.file.length + 2);
      throw new DatasetMissingError(e.file, /damaged or truncated/.test(detail) ? detail : `is damaged or truncated (${detail})`);
    }
    throw e;
  }
}

/** Loads train and test splits; `which` limits it to one split (the first page needs only test). */
export async function loadDataset(name: DatasetName, opts: { base?: string; splits?: ('train' | 'test')[]; onBytes?: (loaded: number, total: number) => void } = {}): Promise<Partial<Dataset> & { name: DatasetName; classNames: readonly string[] }> {
  const folder = datasetUrl(name, opts.base);
  const splits = opts.splits ?? ['train', 'test'];
  const bytes = opts.onBytes && { loaded: 0, total: 0, onChange: opts.onBytes };
  const [train, test] = await Promise.all([
    splits.includes('train') ? loadSplit(folder, 'train', bytes) : undefined,
    splits.includes('test') ? loadSplit(folder, 't10k', bytes) : undefined,
  ]);
  return { name, classNames: CLASS_NAMES[name], ...(train && { train }), ...(test && { test }) };
}
