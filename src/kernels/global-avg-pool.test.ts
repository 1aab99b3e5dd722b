import { describe, it } from 'vitest';
import { globalAvgPoolRef } from '../reference/pool';
import { expectClose } from '../testing/allclose';
import { f32Buffer, testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { globalAvgPool } from './global-avg-pool';

// Planes of 1 pixel, 3 (under the 4-wide accumulators), 49 (7×7, with a tail), 784, and many planes
// (more than one workgroup). Tolerance: a mean of HW values in [−1, 1] summed in f32 with four
// accumulators, error ≲ eps·HW/4 in the mean.
const cases: [number, number, number][] = [
  [1, 1, 1],
  [1, 3, 3],
  [2, 64, 49],
  [1, 5, 784],
  [100, 64, 49],
];

describe('global-avg-pool kernel vs reference', () => {
  for (const [N, C, HW] of cases) {
    it(`N${N} C${C} HW${HW}`, async () => {
      const gpu = await testGpu();
      const r = new Prng(N * 7 + C * 3 + HW);
      const x = r.floats(N * C * HW);
      const xb = f32Buffer(gpu, x);
      const yb = f32Buffer(gpu, new Float32Array(N * C).fill(NaN));
      const k = await globalAvgPool(gpu, { N, C, HW, x: xb, y: yb });
      gpu.run([k], 'test');
      const y = await gpu.readF32(yb, N * C);
      expectClose(y, globalAvgPoolRef(x, N * C, HW), { atol: 1e-7 + 3e-8 * HW, rtol: 1e-6, label: 'y' });
      k.dispose();
      for (const b of [xb, yb]) gpu.release(b);
    });
  }
});
