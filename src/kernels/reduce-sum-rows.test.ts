import { describe, it } from 'vitest';
import { columnSumsRef } from '../reference/matmul';
import { expectClose, sumTolerance } from '../testing/allclose';
import { f32Buffer, runAndRead, testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { denseBiasGrad, reduceSumRows } from './reduce-sum-rows';

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
});
