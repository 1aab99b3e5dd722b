import { describe, expect, it } from 'vitest';
import { columnSumsRef } from '../reference/matmul';
import { expectClose, sumTolerance } from '../testing/allclose';
import { f32Buffer, runAndRead, testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { convGradFromSplits, denseBiasGrad, reduceSumRows } from './reduce-sum-rows';

// f32 sum of R values in [-1, 1]: atol = 1e-5·√R.
describe('reduce-sum-rows vs reference', () => {
  for (const [R, L] of [[1, 1], [37, 10], [100, 3136], [3, 65]] as const) {
    it(`dense bias grad: column sums of dy [${R}, ${L}]`, async () => {
      const gpu = await testGpu();
      const dy = new Prng(R + L).floats(R * L);
      const dyb = f32Buffer(gpu, dy);
      const dbb = f32Buffer(gpu, new Float32Array(L).fill(3));
      const k = await denseBiasGrad(gpu, { dy: dyb, db: dbb, batch: R, out: L });
      expectClose(await runAndRead(gpu, [k], dbb, L), columnSumsRef(dy, R, L), { ...sumTolerance(R), label: 'db' });
      k.dispose();
      gpu.release(dyb);
      gpu.release(dbb);
    });
  }

  it('offset and stride select a column block of a wider matrix', async () => {
    const gpu = await testGpu();
    const [R, C, off, L] = [6, 11, 4, 5];
    const m = new Prng(4).floats(R * C);
    const want = columnSumsRef(m, R, C).slice(off, off + L);
    const mb = f32Buffer(gpu, m);
    const ob = f32Buffer(gpu, new Float32Array(L));
    const k = await reduceSumRows(gpu, { inp: mb, out: ob, R, L, stride: C, offset: off });
    expectClose(await runAndRead(gpu, [k], ob, L), want, { ...sumTolerance(R), label: 'sums' });
    k.dispose();
    gpu.release(mb);
    gpu.release(ob);
  });

  it('a conv layer\'s dw and db, two ranges of one buffer, come from one dispatch (split, gap)', async () => {
    const gpu = await testGpu();
    // 3 splits of K = 2 filters × 5 taps, then 2 biases; dw at float 64, db at float 128 (as the flat store lays them out).
    const [splits, K, crs] = [3, 2, 5];
    const L = K * crs + K;
    const part = new Prng(6).floats(splits * L);
    const sums = columnSumsRef(part, splits, L);
    const pb = f32Buffer(gpu, part);
    const flat = f32Buffer(gpu, new Float32Array(192).fill(7));
    const dw = { buffer: flat, offset: 64 * 4, size: 12 * 4 };
    const db = { buffer: flat, offset: 128 * 4, size: 4 * 4 };
    const ks = await convGradFromSplits(gpu, { part: pb, splits, K, crs, dw, db });
    expect(ks.length).toBe(1);
    const got = await runAndRead(gpu, ks, flat, 192);
    expectClose(got.slice(64, 64 + K * crs), sums.slice(0, K * crs), { ...sumTolerance(splits), label: 'dw' });
    expectClose(got.slice(128, 128 + K), sums.slice(K * crs), { ...sumTolerance(splits), label: 'db' });
    // Between them (the padding) nothing is written.
    expect([...got.slice(64 + K * crs, 128)].every((v) => v === 7)).toBe(true);
    for (const k of ks) k.dispose();
    gpu.release(pb);
    gpu.release(flat);
  });
});
