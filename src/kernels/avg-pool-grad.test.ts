import { describe, it } from 'vitest';
import { avgPoolGradRef, POOL_CASES } from '../reference/pool';
import { expectClose } from '../testing/allclose';
import { f32Buffer, testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { avgPoolGrad } from './avg-pool-grad';

// Each dx element sums at most ceil(FH/S)·ceil(FW/S) values dy/(FH·FW), |dy| ≤ 1: a few ulps per term.
// dx is pre-filled with NaN: every element, including those no window covers, must be overwritten.
describe('avg-pool-grad kernel vs reference', () => {
  for (const [name, s] of POOL_CASES) {
    it(name, async () => {
      const gpu = await testGpu();
      const r = new Prng(s.N * 1000 + s.C * 100 + s.H * 10 + s.FW + s.S + 11);
      const n = s.N * s.C * s.H * s.W;
      const m = s.N * s.C * s.OH * s.OW;
      const dy = r.floats(m);
      const dyb = f32Buffer(gpu, dy);
      const dxb = f32Buffer(gpu, new Float32Array(n).fill(NaN));
      const k = await avgPoolGrad(gpu, { ...s, dy: dyb, dx: dxb });
      gpu.run([k], 'test');
      const dx = await gpu.readF32(dxb, n);
      const windows = Math.ceil(s.FH / s.S) * Math.ceil(s.FW / s.S);
      expectClose(dx, avgPoolGradRef(dy, s), { atol: 2e-7 * windows, rtol: 1e-6, label: `${name} dx` });
      k.dispose();
      for (const b of [dyb, dxb]) gpu.release(b);
    });
  }
});
