// Why: a design trained on the user's own images should train in PyTorch on exactly the images the
// app trained and tested it on, split as the app split them. IDX is the format train.py already reads
// for MNIST: a magic number (0, 0, 0x08 = unsigned bytes, rank), big-endian 32-bit dimensions, data.

/** An IDX file of unsigned bytes with the given shape (the data's length must be their product). */
export function toIdx(shape: readonly number[], data: Uint8Array): Uint8Array {
  if (shape.length < 1 || shape.length > 255) throw new Error(`IDX: rank ${shape.length} is not 1…255`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (shape.some((d) => !Number.isInteger(d) || d < 0 || d > 0xffffffff) || size !== data.length) {
    throw new Error(`IDX: ${data.length} bytes do not fill the shape [${shape.join(', ')}]`);
  }
  const out = new Uint8Array(4 + 4 * shape.length + size);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}

/** One split of the user's dataset, images stored channel by channel ([N, C, H, W]). */
export interface OwnSplit {
  count: number;
  channels: number;
  rows: number;
  cols: number;
  images: Uint8Array;
  labels: Uint8Array;
}

/** The folder, inside the PyTorch download, that train.py reads the user's dataset from by default. */
export const OWN_DATA_DIR = 'data/own';

/** IDX file names of one split: images rank 3 ([N, H, W]) when grey, rank 4 ([N, C, H, W]) in colour. */
export function ownIdxNames(prefix: 'train' | 'test', channels: number): { images: string; labels: string } {
  return { images: `${prefix}-images-idx${channels === 1 ? 3 : 4}-ubyte`, labels: `${prefix}-labels-idx1-ubyte` };
}

/** The zip entries of the user's dataset: both splits as IDX files and the class names as JSON. */
export function ownDatasetFiles(train: OwnSplit, test: OwnSplit, classNames: readonly string[]): { name: string; data: Uint8Array | string }[] {
  const files: { name: string; data: Uint8Array | string }[] = [];
  for (const [prefix, s] of [['train', train], ['test', test]] as const) {
    const names = ownIdxNames(prefix, s.channels);
    const shape = s.channels === 1 ? [s.count, s.rows, s.cols] : [s.count, s.channels, s.rows, s.cols];
    files.push({ name: `${OWN_DATA_DIR}/${names.images}`, data: toIdx(shape, s.images) });
    files.push({ name: `${OWN_DATA_DIR}/${names.labels}`, data: toIdx([s.count], s.labels) });
  }
  files.push({ name: `${OWN_DATA_DIR}/classes.json`, data: `${JSON.stringify(classNames)}\n` });
  return files;
}
