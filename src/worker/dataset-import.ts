// Why: turns the files a user dropped (a folder of class folders, or a .zip of them) into a dataset
// the engine trains on: every image decoded, cut to its centred square and resized, grey or colour;
// a seeded stratified train/test split; the normalisation of the training split; a descriptor. What
// cannot be used is skipped and named; what cannot work (one class, a class of one image, too big for
// the GPU or the browser's storage) is refused with the numbers, before anything is replaced.
import { decodeImage, ImageDecodeError } from '../data/image-decode';
import type { LabelledImages } from '../data/idx';
import { readZip } from '../data/zip-reader';
import { channelStats, checkDescriptor, MAX_CLASSES, MIN_CLASSES, stratifiedSplit, type DatasetDescriptor } from '../model';
import type { ImportOptions, ImportProgress, SkippedFile } from './protocol';

export class DatasetImportError extends Error {
  override name = 'DatasetImportError';
  constructor(readonly kind: 'refused' | 'cancelled' | 'too-big', message: string) {
    super(message);
  }
}

/** A dataset built from the user's images: what the cache, the store and the GPU take. */
export interface OwnDataset {
  descriptor: DatasetDescriptor;
  train: LabelledImages;
  test: LabelledImages;
}

export interface ImportHooks {
  progress?(p: ImportProgress): void;
  /** Polled between images: true stops the import (nothing is replaced). */
  cancelled?(): boolean;
  /** The device's buffer limits, when a GPU is there: a training split larger than these is refused. */
  limits?: { maxStorageBufferBindingSize: number; maxBufferSize: number };
  /** The browser's storage use and quota (navigator.storage.estimate), when it says. */
  estimate?(): Promise<{ usage?: number; quota?: number }>;
}

const IMAGE = /\.(png|jpe?g|webp|gif|bmp)$/i;
/** The most images one dataset may hold (the labels are bytes; this bounds memory, not classes). */
export const MAX_IMAGES = 200_000;

interface Candidate {
  path: string;
  className: string;
  blob: () => Promise<Blob>;
}

const mib = (b: number) => (b < 2 ** 20 ? `${(b / 1024).toFixed(1)} KiB` : `${(b / 2 ** 20).toFixed(1)} MiB`);

/** Files and zip entries as one list of (path, contents). A damaged archive fails the whole import. */
async function expand(files: readonly { path: string; file: Blob }[]): Promise<{ path: string; blob: () => Promise<Blob> }[]> {
  const out: { path: string; blob: () => Promise<Blob> }[] = [];
  for (const f of files) {
    if (/\.zip$/i.test(f.path)) {
      const bytes = new Uint8Array(await f.file.arrayBuffer());
      const base = f.path.replace(/^.*\//, '').replace(/\.zip$/i, '');
      for (const e of readZip(bytes, f.path.replace(/^.*\//, ''))) {
        // A zip of class folders without a root folder gets the archive's name as its root.
        out.push({ path: `${base}/${e.path}`, blob: async () => new Blob([(await e.read()) as Uint8Array<ArrayBuffer>]) });
      }
    } else out.push({ path: f.path, blob: async () => f.file });
  }
  return out;
}

/** The folder every path starts with, when they share one and some lie in folders below it. */
function commonRoot(paths: readonly string[][]): string | undefined {
  const first = paths[0]?.[0];
  if (first === undefined || !paths.some((p) => p.length >= 3)) return undefined;
  return paths.every((p) => p.length >= 2 && p[0] === first) ? first : undefined;
}

export async function importDataset(files: readonly { path: string; file: Blob }[], o: ImportOptions, hooks: ImportHooks = {}): Promise<{ dataset: OwnDataset; skipped: SkippedFile[] }> {
  const skipped: SkippedFile[] = [];
  const candidates: Candidate[] = [];
  hooks.progress?.({ stage: 'reading', done: 0, total: files.length });
  const all = (await expand(files))
    .map((f) => ({ ...f, parts: f.path.split('/').filter((p) => p !== '') }))
    // System files (macOS resource forks, .DS_Store): not the user's, not worth a line.
    .filter((f) => !f.parts.includes('__MACOSX') && !(f.parts[f.parts.length - 1] ?? '').startsWith('.'));
  const root = commonRoot(all.map((f) => f.parts));
  for (const f of all) {
    const parts = f.parts;
    const name = parts[parts.length - 1] ?? f.path;
    if (parts.length < (root ? 3 : 2)) skipped.push({ path: f.path, reason: 'is not inside a class folder' });
    else if (!IMAGE.test(name)) skipped.push({ path: f.path, reason: 'is not a PNG, JPEG or WebP image' });
    else candidates.push({ path: f.path, className: parts[parts.length - 2]!, blob: f.blob });
  }
  if (candidates.length > MAX_IMAGES) throw new DatasetImportError('refused', `${candidates.length} images is more than the ${MAX_IMAGES} one dataset may hold`);
  const classNames = [...new Set(candidates.map((c) => c.className))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  refuseClasses(classNames, candidates);

  // Decode, in order, with progress and a way out.
  const { size, channels: C } = o;
  const bytesPerImage = C * size * size;
  const pixels = new Uint8Array(candidates.length * bytesPerImage);
  const labels: number[] = [];
  const kept: Candidate[] = [];
  let reported = 0;
  for (let i = 0; i < candidates.length; i++) {
    if (hooks.cancelled?.()) throw new DatasetImportError('cancelled', `Import cancelled after ${i} of ${candidates.length} images; the previous dataset is unchanged.`);
    const c = candidates[i]!;
    try {
      pixels.set(await decodeImage(await c.blob(), size, C), kept.length * bytesPerImage);
      labels.push(classNames.indexOf(c.className));
      kept.push(c);
    } catch (e) {
      if (!(e instanceof ImageDecodeError)) throw e;
      skipped.push({ path: c.path, reason: e.message });
    }
    if (performance.now() - reported > 100 || i + 1 === candidates.length) {
      reported = performance.now();
      hooks.progress?.({ stage: 'decoding', done: i + 1, total: candidates.length });
    }
  }
  refuseClasses(classNames, kept);

  const split = stratifiedSplit(labels, classNames.length, o.testFraction, o.seed);
  const gather = (idx: number[]): LabelledImages => {
    const images = new Uint8Array(idx.length * bytesPerImage);
    idx.forEach((k, j) => images.set(pixels.subarray(k * bytesPerImage, (k + 1) * bytesPerImage), j * bytesPerImage));
    return { count: idx.length, rows: size, cols: size, channels: C, images, labels: Uint8Array.from(idx, (k) => labels[k]!), classes: classNames.length };
  };
  const train = gather(split.train);
  const test = gather(split.test);
  const { mean, std } = channelStats(train.images, train.count, C, size * size);
  const descriptor: DatasetDescriptor = {
    id: 'own',
    name: (o.name?.trim() || root || 'My images').slice(0, 80),
    input: { C, H: size, W: size },
    classNames,
    mean,
    std,
    trainCount: train.count,
    testCount: test.count,
    trainPerClass: split.trainPerClass,
    testPerClass: split.testPerClass,
  };
  const problems = checkDescriptor(descriptor);
  if (problems.length) throw new DatasetImportError('refused', `${problems.join('; ')}.`);
  await refuseSize(train, test, hooks);
  return { dataset: { descriptor, train, test }, skipped };
}

function refuseClasses(classNames: readonly string[], images: readonly Candidate[]): void {
  if (images.length === 0) throw new DatasetImportError('refused', 'No images found: drop a folder (or a .zip) holding one folder per class, each with PNG, JPEG or WebP images.');
  if (classNames.length < MIN_CLASSES) {
    throw new DatasetImportError('refused', `Only one class ("${classNames[0]}"): a classifier needs at least ${MIN_CLASSES}. Put each class's images in its own folder, side by side.`);
  }
  if (classNames.length > MAX_CLASSES) throw new DatasetImportError('refused', `${classNames.length} classes: at most ${MAX_CLASSES} are supported.`);
  const small = classNames.map((n) => [n, images.filter((c) => c.className === n).length] as const).filter(([, k]) => k < 2);
  if (small.length) {
    throw new DatasetImportError('refused', `Each class needs at least 2 images (one to train on, one to test): ${small.map(([n, k]) => `"${n}" has ${k}`).join(', ')}.`);
  }
}

async function refuseSize(train: LabelledImages, test: LabelledImages, hooks: ImportHooks): Promise<void> {
  const l = hooks.limits;
  const trainBytes = train.images.length;
  if (l) {
    const limit = Math.min(l.maxStorageBufferBindingSize, l.maxBufferSize);
    if (trainBytes > limit) {
      throw new DatasetImportError('too-big', `The training images need ${mib(trainBytes)} on the GPU; this GPU binds at most ${mib(limit)} in one buffer. Use fewer images, a smaller size or grey.`);
    }
  }
  const total = trainBytes + test.images.length + train.count + test.count;
  const est = await hooks.estimate?.().catch(() => undefined);
  if (est?.quota !== undefined && (est.usage ?? 0) + total > est.quota) {
    throw new DatasetImportError('too-big', `The dataset needs ${mib(total)} of browser storage; ${mib(est.quota - (est.usage ?? 0))} is free (${mib(est.usage ?? 0)} used of ${mib(est.quota)}).`);
  }
}
