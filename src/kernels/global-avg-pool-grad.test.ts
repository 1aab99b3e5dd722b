import { describe, it } from 'vitest';
import { globalAvgPoolGradRef } from '../reference/pool';
import { expectClose } from '../testing/allclose';
import { f32Buffer, testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { globalAvgPoolGrad } from './global-avg-pool-grad';

// Planes smaller than, equal to and not a multiple of the 16-pixel chunk a thread writes, and many planes.
// One f32 division per element: a few ulps. dx is pre-filled with NaN so a skipped pixel shows.
const cases: [number, number, number][] = [
  [1, 1, 1],
  [1, 3, 16],
  [2, 64, 49],
  [1, 5, 784],
  [100, 64, 49],
];

describe('global-avg-pool-grad kernel vs reference', () => {
  for (const [N, C, HW] of cases) {
    it(`N${N} C${C} HW${HW}`, async () => {
      const gpu = await testGpu();
      const r = new Prng(N * 5 + C * 11 + HW);
      const dy = r.floats(N * C);
      const dyb = f32Buffer(gpu, dy);
      const dxb = f32Buffer(gpu, new Float32Array(N * C * HW).fill(NaN));
      const k = await globalAvgPoolGrad(gpu, { N, C, HW, dy: dyb, dx: dxb });
      gpu.run([k], 'test');
      const dx = await gpu.readF32(dxb, N * C * HW);
      expectClose(dx, globalAvgPoolGradRef(dy, N * C, HW), { atol: 1e-9, rtol: 1e-6, label: 'dx' });
      k.dispose();
      for (const b of [dyb, dxb]) gpu.release(b);
    });
  }
});
