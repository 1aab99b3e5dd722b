import { describe, it } from 'vitest';
import { maxPoolGradRef, maxPoolRef, POOL_CASES } from '../reference/pool';
import { expectClose } from '../testing/allclose';
import { f32Buffer, testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { maxPoolGrad } from './max-pool-grad';

// The argmax comes from the reference forward (so this file tests the backward alone). Each dx element
// sums at most ceil(FH/S)·ceil(FW/S) dy values of magnitude ≤ 1 in f32: tolerance scales with that count.
// dx is pre-filled with NaN: every element, including those no window covers, must be overwritten.
// Both formulations run: the default (disjoint cells when S ≥ F, else the gather) and the gather forced
// on every case (on the non-overlapping ones it must agree too).
describe('max-pool-grad kernel vs reference', () => {
  for (const [caseName, s] of POOL_CASES) {
    for (const gather of [false, true]) {
      const name = `${caseName}${gather ? ' (gather forced)' : ''}`;
      it(name, async () => {
        const gpu = await testGpu();
        const r = new Prng(s.N * 1000 + s.C * 100 + s.H * 10 + s.FW + s.S + 7);
        const n = s.N * s.C * s.H * s.W;
        const m = s.N * s.C * s.OH * s.OW;
        // Values in {0, 1, 2}: many ties, so overlapping windows often share a winner and the gather must add.
        const x = Float32Array.from({ length: n }, () => r.int(0, 2));
        const dy = r.floats(m);
        const { argmax } = maxPoolRef(x, s);
        const dyb = f32Buffer(gpu, dy);
        const ab = gpu.upload(argmax, 'argmax');
        const dxb = f32Buffer(gpu, new Float32Array(n).fill(NaN));
        const k = await maxPoolGrad(gpu, { ...s, dy: dyb, argmax: ab, dx: dxb, gather });
        gpu.run([k], 'test');
        const dx = await gpu.readF32(dxb, n);
        const windows = Math.ceil(s.FH / s.S) * Math.ceil(s.FW / s.S);
        expectClose(dx, maxPoolGradRef(dy, argmax, s), { atol: 2e-7 * windows, rtol: 1e-6, label: `${name} dx` });
        k.dispose();
        for (const b of [dyb, ab, dxb]) gpu.release(b);
      });
    }
  }

  // With the ReLU mask: x holds a ReLU's output (many exact zeros); dx = routed dy · (x > 0), the
  // kernel reading the mask from the pool's output y.
  for (const [caseName, s] of POOL_CASES) {
    it(`${caseName} (ReLU mask fused)`, async () => {
      const gpu = await testGpu();
      const r = new Prng(s.N * 31 + s.C * 7 + s.H + s.S);
      const n = s.N * s.C * s.H * s.W;
      const m = s.N * s.C * s.OH * s.OW;
      const x = Float32Array.from({ length: n }, () => Math.max(0, r.int(-2, 2)));
      const dy = r.floats(m);
      const { y, argmax } = maxPoolRef(x, s);
      const yb = f32Buffer(gpu, y);
      const dyb = f32Buffer(gpu, dy);
      const ab = gpu.upload(argmax, 'argmax');
      const dxb = f32Buffer(gpu, new Float32Array(n).fill(NaN));
      const k = await maxPoolGrad(gpu, { ...s, dy: dyb, argmax: ab, dx: dxb, reluMaskFromOutput: yb });
      gpu.run([k], 'test');
      const dx = await gpu.readF32(dxb, n);
      const expected = maxPoolGradRef(dy, argmax, s).map((v, i) => (x[i]! > 0 ? v : 0));
      const windows = Math.ceil(s.FH / s.S) * Math.ceil(s.FW / s.S);
      expectClose(dx, expected, { atol: 2e-7 * windows, rtol: 1e-6, label: `${caseName} masked dx` });
      k.dispose();
      for (const b of [yb, dyb, ab, dxb]) gpu.release(b);
    });
  }
});
