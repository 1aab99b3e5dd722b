// Why: MNIST ships as IDX files. This parses them strictly (magic number, dimensions, exact length),
// so a truncated or foreign file is refused with a reason instead of training on garbage.

export type IdxErrorKind = 'too-short' | 'bad-magic' | 'wrong-type' | 'wrong-rank' | 'wrong-length' | 'count-mismatch' | 'bad-label';

export class IdxError extends Error {
  override name = 'IdxError';
  constructor(
    readonly file: string,
    readonly kind: IdxErrorKind,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

export interface IdxTensor {
  dims: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;

/**
 * Parses an unsigned-byte IDX file: magic 0x0000 08 NN (NN = rank), NN big-endian u32 dimensions,
 * then exactly product(dims) bytes.
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedRank?: number): IdxTensor {
  if (bytes.length < 4) throw new IdxError(file, 'too-short', `only ${bytes.length} bytes; not an IDX file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxError(file, 'bad-magic', `bad magic number 0x${view.getUint32(0).toString(16).padStart(8, '0')}; an IDX file starts with 0x0000`);
  }
  if (bytes[2] !== UBYTE) throw new IdxError(file, 'wrong-type', `element type 0x${bytes[2]!.toString(16)} is not unsigned byte (0x08)`);
  const rank = bytes[3]!;
  if (expectedRank !== undefined && rank !== expectedRank) {
    throw new IdxError(file, 'wrong-rank', `has ${rank} dimensions, expected ${expectedRank}`);
  }
  const header = 4 + 4 * rank;
  if (bytes.length < header) throw new IdxError(file, 'too-short', `header needs ${header} bytes, file has ${bytes.length}`);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1);
  const body = bytes.length - header;
  if (body !== count) {
    throw new IdxError(file, 'wrong-length', `dimensions ${dims.join('×')} need ${count} data bytes, file has ${body}${body < count ? ' (truncated)' : ''}`);
  }
  return { dims, data: bytes.subarray(header) };
}

export interface LabelledImages {
  count: number;
  rows: number;
  cols: number;
  /** Colour planes per image (absent: 1, grey). */
  channels?: number;
  /** count·channels·rows·cols bytes, CHW per image, row-major, 0 = background. */
  images: Uint8Array;
  labels: Uint8Array;
  classes: number;
}

/** Parses an images file (rank 3) and a labels file (rank 1) and checks they belong together. */
export function parseImagesAndLabels(imageBytes: Uint8Array, labelBytes: Uint8Array, names: { images: string; labels: string }, classes = 10): LabelledImages {
  const images = parseIdx(imageBytes, names.images, 3);
  const labels = parseIdx(labelBytes, names.labels, 1);
  const [count, rows, cols] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) {
    throw new IdxError(names.labels, 'count-mismatch', `has ${labels.dims[0]} labels but ${names.images} has ${count} images`);
  }
  const bad = labels.data.findIndex((l) => l >= classes);
  if (bad >= 0) throw new IdxError(names.labels, 'bad-label', `label ${labels.data[bad]} at index ${bad} is not a class 0–${classes - 1}`);
  return { count, rows, cols, images: images.data, labels: labels.data, classes };
}
