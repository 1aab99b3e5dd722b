import { describe, expect, it } from 'vitest';
import { gunzip, GzipError } from './gunzip';
import { IdxError, parseIdx, parseImagesAndLabels } from './idx';
import { DatasetMissingError, loadDataset } from './mnist';

function idx(rank: number, dims: number[], body: number[], type = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * rank + body.length);
  const v = new DataView(out.buffer);
  out[2] = type;
  out[3] = rank;
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d));
  out.set(body, 4 + 4 * rank);
  return out;
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const s = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(s).arrayBuffer());
}

describe('parseIdx on hand-made files', () => {
  it('parses dims and data', () => {
    const t = parseIdx(idx(3, [2, 1, 2], [1, 2, 3, 4]), 'x');
    expect(t.dims).toEqual([2, 1, 2]);
    expect([...t.data]).toEqual([1, 2, 3, 4]);
  });
  it('refuses a bad magic number', () => {
    const b = idx(1, [1], [0]);
    b[0] = 0x1f;
    expect(() => parseIdx(b, 'f.idx')).toThrowError(/f\.idx: bad magic number 0x1f/);
  });
  it('refuses a non-byte element type', () => {
    expect(() => parseIdx(idx(1, [1], [0], 0x0d), 'f')).toThrowError(/not unsigned byte/);
  });
  it('refuses a truncated body, naming both sizes', () => {
    expect(() => parseIdx(idx(3, [2, 28, 28], new Array(1000).fill(0)), 'img')).toThrowError(/img: dimensions 2×28×28 need 1568 data bytes, file has 1000 \(truncated\)/);
  });
  it('refuses extra bytes and a short header', () => {
    expect(() => parseIdx(idx(1, [2], [1, 2, 3]), 'l')).toThrowError(IdxError);
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0]), 'h')).toThrowError(/header needs 16 bytes/);
  });
  it('refuses the wrong rank', () => {
    expect(() => parseIdx(idx(1, [1], [0]), 'f', 3)).toThrowError(/has 1 dimensions, expected 3/);
  });
  it('refuses labels and images that do not match', () => {
    const images = idx(3, [2, 1, 1], [0, 0]);
    expect(() => parseImagesAndLabels(images, idx(1, [3], [1, 2, 3]), { images: 'i', labels: 'l' })).toThrowError(/l: has 3 labels but i has 2 images/);
    expect(() => parseImagesAndLabels(images, idx(1, [2], [1, 12]), { images: 'i', labels: 'l' })).toThrowError(/label 12 at index 1/);
  });
});

describe('gunzip', () => {
  it('round-trips and refuses non-gzip and truncated streams by name', async () => {
    const data = new Uint8Array(5000).map((_, i) => i % 251);
    const gz = await gzip(data);
    expect(await gunzip(gz, 'a.gz')).toEqual(data);
    await expect(gunzip(data, 'b.gz')).rejects.toThrowError(/b\.gz: is not a gzip file/);
    await expect(gunzip(gz.subarray(0, gz.length - 20), 'c.gz')).rejects.toBeInstanceOf(GzipError);
  });
});

describe('real MNIST (from npm run data)', () => {
  it('loads 60,000 training and 10,000 test images of 28×28 with labels 0–9', async () => {
    const ds = await loadDataset('mnist', { base: '/' });
    expect(ds.train!.count).toBe(60000);
    expect(ds.test!.count).toBe(10000);
    expect([ds.test!.rows, ds.test!.cols]).toEqual([28, 28]);
    // Well-known first labels of each split.
    expect([...ds.train!.labels.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
    expect([...ds.test!.labels.subarray(0, 5)]).toEqual([7, 2, 1, 0, 4]);
    const counts = new Array(10).fill(0);
    for (const l of ds.test!.labels) counts[l]++;
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    // An image is ink on a dark background: mostly zeros, some 255-ish pixels.
    const first = ds.test!.images.subarray(0, 784);
    expect(first.filter((p) => p === 0).length).toBeGreaterThan(500);
    expect(Math.max(...first)).toBeGreaterThan(250);
  });
  it('a damaged file says "damaged or truncated" (never the browser\'s "Failed to fetch")', async () => {
    // The browser rejects a gzip-encoded download it cannot inflate with a bare "Failed to fetch";
    // the server still answering for the file tells damage from a network failure.
    const real = globalThis.fetch;
    const ok = (body: Uint8Array) => new Response(body as Uint8Array<ArrayBuffer>, { status: 200, headers: { 'content-type': 'application/gzip' } });
    const gz = await gzip(new Uint8Array(100).fill(1));
    try {
      globalThis.fetch = (async (_url: RequestInfo | URL, init?: RequestInit) => {
        if (init?.method === 'HEAD') return ok(new Uint8Array(0));
        throw new TypeError('Failed to fetch');
      }) as typeof fetch;
      const e1 = await loadDataset('mnist', { base: '/x/', splits: ['test'] }).then(() => new Error('loaded'), (e: unknown) => e as Error);
      expect(e1).toBeInstanceOf(DatasetMissingError);
      expect(e1.message).toMatch(/^t10k-(images-idx3|labels-idx1)-ubyte\.gz: is damaged or truncated/);
      expect(e1.message).not.toMatch(/Failed to fetch/);
      expect(e1.message).toMatch(/npm run data/);
      // A truncated gzip stream (served as-is) says the same.
      globalThis.fetch = (async () => ok(gz.subarray(0, gz.length - 12))) as typeof fetch;
      const e2 = await loadDataset('mnist', { base: '/x/', splits: ['test'] }).then(() => new Error('loaded'), (e: unknown) => e as Error);
      expect(e2).toBeInstanceOf(DatasetMissingError);
      expect(e2.message).toMatch(/is damaged or truncated/);
      // When the server does not answer at all, it is a fetch failure, said as such.
      globalThis.fetch = (async () => {
        throw new TypeError('Failed to fetch');
      }) as typeof fetch;
      const e3 = await loadDataset('mnist', { base: '/x/', splits: ['test'] }).then(() => new Error('loaded'), (e: unknown) => e as Error);
      expect(e3.message).toMatch(/could not be fetched \(Failed to fetch\)/);
    } finally {
      globalThis.fetch = real;
    }
  });
  it('says to run npm run data when a dataset is missing', async () => {
    await expect(loadDataset('mnist', { base: '/no-such-place/', splits: ['test'] })).rejects.toBeInstanceOf(DatasetMissingError);
  });
});
