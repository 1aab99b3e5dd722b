import { describe, it } from 'vitest';
import { avgPoolRef, POOL_CASES } from '../reference/pool';
import { expectClose } from '../testing/allclose';
import { f32Buffer, testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { avgPool } from './avg-pool';

// f32 sum of FH·FW inputs in [−1, 1] then a scale, vs float64: rounding grows with the window size.
describe('avg-pool kernel vs reference', () => {
  for (const [name, s] of POOL_CASES) {
    it(name, async () => {
      const gpu = await testGpu();
      const r = new Prng(s.N * 1000 + s.C * 100 + s.H * 10 + s.FH + s.S + 3);
      const n = s.N * s.C * s.H * s.W;
      const m = s.N * s.C * s.OH * s.OW;
      const x = r.floats(n);
      const xb = f32Buffer(gpu, x);
      const yb = f32Buffer(gpu, new Float32Array(m).fill(NaN));
      const k = await avgPool(gpu, { ...s, x: xb, y: yb });
      gpu.run([k], 'test');
      const y = await gpu.readF32(yb, m);
      expectClose(y, avgPoolRef(x, s), { atol: 1.2e-7 * s.FH * s.FW, rtol: 1e-6, label: `${name} y` });
      k.dispose();
      for (const b of [xb, yb]) gpu.release(b);
    });
  }
});
