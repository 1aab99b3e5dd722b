import { describe, expect, it } from 'vitest';
import { zip } from '../export/zip';
import { DatasetImportError, importDataset } from './dataset-import';
import { SHAPE_CLASSES, shapeFiles } from './shape-blobs';

const options = { size: 16, channels: 3 as const, testFraction: 0.25, seed: 5 };

describe('building a dataset from dropped files', () => {
  it('decodes class folders, skips what it cannot use by name, splits by class and normalises per channel', async () => {
    const files = [...(await shapeFiles(8, 1)), { path: 'shapes/readme.md', file: new Blob(['hi']) }, { path: 'shapes/ring/bad.png', file: new Blob(['nope']) }, { path: 'shapes/.DS_Store', file: new Blob(['x']) }];
    const progress: string[] = [];
    const { dataset, skipped } = await importDataset(files, options, { progress: (p) => progress.push(p.stage) });
    const d = dataset.descriptor;
    expect(d).toMatchObject({ id: 'own', name: 'shapes', input: { C: 3, H: 16, W: 16 }, classNames: [...SHAPE_CLASSES].sort(), trainCount: 18, testCount: 6, trainPerClass: [6, 6, 6], testPerClass: [2, 2, 2] });
    expect(skipped).toEqual([
      { path: 'shapes/readme.md', reason: 'is not inside a class folder' },
      { path: 'shapes/ring/bad.png', reason: 'could not be decoded as an image' },
    ]);
    expect(progress).toContain('decoding');
    expect(dataset.train.images).toHaveLength(18 * 3 * 256);
    expect(dataset.train.channels).toBe(3);
    // The statistics are those of the training split's bytes, per channel.
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let n = 0; n < 18; n++) for (let j = 0; j < 256; j++) s += dataset.train.images[(n * 3 + c) * 256 + j]! / 255;
      expect(d.mean[c]).toBeCloseTo(s / (18 * 256), 10);
    }
    // Same files, same seed: the same split.
    const again = await importDataset(files, options);
    expect(again.dataset.test.labels).toEqual(dataset.test.labels);
    expect(again.dataset.test.images).toEqual(dataset.test.images);
  });

  it('reads a zip of class folders the same way, named after the archive', async () => {
    const files = await shapeFiles(3, 2, 'x');
    const entries = await Promise.all(files.map(async (f) => ({ name: f.path.replace(/^x\//, ''), data: new Uint8Array(await f.file.arrayBuffer()) })));
    const { dataset } = await importDataset([{ path: 'my shapes.zip', file: new Blob([zip(entries) as Uint8Array<ArrayBuffer>]) }], { ...options, channels: 1 });
    expect(dataset.descriptor).toMatchObject({ name: 'my shapes', input: { C: 1, H: 16, W: 16 }, trainCount: 6, testCount: 3 });
  });

  it('refuses one class, a class of one image, and no images, with the rule', async () => {
    const files = await shapeFiles(3, 3);
    await expect(importDataset(files.filter((f) => f.path.includes('/ring/')), options)).rejects.toThrow(/Only one class \("ring"\)/);
    const oneSquare = files.filter((f) => !f.path.includes('/square/') || f.path.endsWith('/0.png'));
    await expect(importDataset(oneSquare, options)).rejects.toThrow(/at least 2 images.*"square" has 1/);
    await expect(importDataset([{ path: 'a/b/c.txt', file: new Blob(['x']) }], options)).rejects.toThrow(/No images found/);
  });

  it('can be cancelled, and refuses a dataset too big for the GPU or the quota, with the numbers', async () => {
    const files = await shapeFiles(3, 4);
    await expect(importDataset(files, options, { cancelled: () => true })).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(importDataset(files, options, { limits: { maxStorageBufferBindingSize: 1000, maxBufferSize: 1 << 30 } })).rejects.toThrow(
      /The training images need 4\.5 KiB on the GPU; this GPU binds at most 1\.0 KiB in one buffer/,
    );
    const quota = importDataset(files, options, { estimate: async () => ({ usage: 900, quota: 1000 }) });
    await expect(quota).rejects.toBeInstanceOf(DatasetImportError);
    await expect(quota).rejects.toThrow(/browser storage/);
  });
});
