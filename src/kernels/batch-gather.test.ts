import { describe, expect, it } from 'vitest';
import { expectClose } from '../testing/allclose';
import { testGpu, zeroBuffer } from '../testing/gpu';
import { Prng } from '../util/prng';
import { batchGather, batchGatherParams, MNIST_MEAN, MNIST_STD } from './batch-gather';

/** The batch as the maths defines it, in float64: x = (byte/255 − mean_c)/std_c (channel c = the
 *  plane j falls in), y = label. */
function gatherRef(images: Uint8Array, labels: Uint8Array, indices: Uint32Array, N: number, imageBytes: number, offset: number, mean: number[], std: number[]) {
  const x = new Float64Array(N * imageBytes);
  const y = new Uint32Array(N);
  const plane = imageBytes / mean.length;
  for (let n = 0; n < N; n++) {
    const s = indices[offset + n]!;
    for (let j = 0; j < imageBytes; j++) {
      const c = Math.floor(j / plane);
      x[n * imageBytes + j] = (images[s * imageBytes + j]! / 255 - mean[c]!) / std[c]!;
    }
    y[n] = labels[s]!;
  }
  return { x, y };
}

// x: f32 of values ≤ ~3.3 in magnitude from byte·scale + shift: a few ulps (≤ 1e-6). Labels exact, and
// the bytes recovered from x exactly (proves the right pixels were gathered, not just close values).
const X_TOL = { atol: 1e-6, rtol: 1e-6 };

const cases = [
  { name: 'MNIST-sized images, a middle batch', imageBytes: 784, samples: 50, N: 13, batch: 2, mean: [MNIST_MEAN], std: [MNIST_STD] },
  { name: '12-byte images, batch 1', imageBytes: 12, samples: 37, N: 1, batch: 30, mean: [0.5], std: [0.25] },
  { name: '12-byte images, the last full batch of the epoch', imageBytes: 12, samples: 37, N: 9, batch: 3, mean: [0], std: [1] },
  { name: '4-byte images, N not a multiple of anything', imageBytes: 4, samples: 300, N: 257, batch: 0, mean: [0.2], std: [2] },
  { name: 'colour 3×4×4 images, one mean and std per channel', imageBytes: 48, samples: 40, N: 7, batch: 3, mean: [0.4, 0.5, 0.6], std: [0.2, 0.3, 0.25] },
  { name: 'colour 3×32×32 images, two channels alike', imageBytes: 3072, samples: 12, N: 5, batch: 1, mean: [0.3, 0.3, 0.7], std: [0.5, 0.5, 0.1] },
];

describe('batch-gather kernel vs reference', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const gpu = await testGpu();
      const r = new Prng(c.imageBytes * 1000 + c.N);
      const images = Uint8Array.from({ length: c.samples * c.imageBytes }, () => r.int(0, 255));
      const labels = Uint8Array.from({ length: c.samples }, () => r.int(0, 9));
      const indices = r.shuffle(Uint32Array.from({ length: c.samples }, (_, i) => i));
      const offset = c.batch * c.N;
      const ib = gpu.upload(images, 'images');
      const lb = gpu.upload(labels, 'labels');
      const xb = zeroBuffer(gpu, c.N * c.imageBytes);
      const yb = zeroBuffer(gpu, c.N);
      const idx = gpu.upload(indices, 'indices');
      const k = await batchGather(gpu, { images: ib, labels: lb, indices: idx, x: xb, y: yb, N: c.N, imageBytes: c.imageBytes, offset, mean: c.mean, std: c.std });
      gpu.run([k]);
      const ref = gatherRef(images, labels, indices, c.N, c.imageBytes, offset, c.mean, c.std);
      const x = await gpu.readF32(xb, c.N * c.imageBytes);
      expectClose(x, ref.x, { ...X_TOL, label: 'x' });
      // `+ 0` turns a rounded −0 (byte 0 read back as a tiny negative) into 0 for toEqual.
      const plane = c.imageBytes / c.mean.length;
      const bytes = Array.from(x, (v, i) => {
        const ch = Math.floor((i % c.imageBytes) / plane);
        return Math.round((v * c.std[ch]! + c.mean[ch]!) * 255) + 0;
      });
      const want = Array.from({ length: c.N * c.imageBytes }, (_, i) => images[indices[offset + Math.floor(i / c.imageBytes)]! * c.imageBytes + (i % c.imageBytes)]!);
      expect(bytes).toEqual(want);
      expect(Array.from(await gpu.readU32(yb, c.N))).toEqual(Array.from(ref.y));

      // The next step: only the offset changes.
      const next = c.batch === 0 ? 0 : offset - c.N;
      k.setParams(batchGatherParams({ N: c.N, imageBytes: c.imageBytes, offset: next, mean: c.mean, std: c.std }));
      gpu.run([k]);
      const ref2 = gatherRef(images, labels, indices, c.N, c.imageBytes, next, c.mean, c.std);
      expectClose(await gpu.readF32(xb, c.N * c.imageBytes), ref2.x, { ...X_TOL, label: 'x (second batch)' });
      expect(Array.from(await gpu.readU32(yb, c.N))).toEqual(Array.from(ref2.y));
      k.dispose();
      for (const b of [ib, lb, xb, yb, idx]) gpu.release(b);
    });
  }

  it('rejects an image size that is not a multiple of 4 bytes', () => {
    expect(() => batchGatherParams({ N: 1, imageBytes: 10, offset: 0 })).toThrow(/multiple of 4/);
    expect(batchGatherParams({ N: 2, imageBytes: 784, offset: 4 })).toMatchObject({ imageWords: 196, offset: 4 });
  });

  it('rejects channel planes that are not whole words and stats that do not match the channels', () => {
    expect(() => batchGatherParams({ N: 1, imageBytes: 3 * 5 * 5 + 1, offset: 0, mean: [0, 0, 0], std: [1, 1, 1] })).toThrow(/multiple of 4|whole number/);
    expect(() => batchGatherParams({ N: 1, imageBytes: 12, offset: 0, mean: [0, 0], std: [1, 1] })).toThrow(/plane of 12\/2 bytes/);
    expect(() => batchGatherParams({ N: 1, imageBytes: 48, offset: 0, mean: [0, 0], std: [1] })).toThrow(/one mean and one std/);
    expect(() => batchGatherParams({ N: 1, imageBytes: 48, offset: 0, mean: [0, 0, 0], std: [1, 0, 1] })).toThrow(/std must be > 0/);
  });
});
