import { describe, expect, it } from 'vitest';
import { adamStepRef } from '../reference/optimizers';
import { expectClose } from '../testing/allclose';
import { testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { adam, adamParams } from './adam';

// f32 vs float64 over STEPS steps. Each step moves p by ≤ ~lr·(1 + wd); the f32 error per step is a
// few ulps of |p| ≈ 1 plus ~1e-6 relative of the update. m, v: a few ulps relative.
const TOL = { atol: 2e-6, rtol: 2e-6 };
const STEPS = 6;
const SENTINEL = -777;

const sizes = [1, 5, 1003];
const configs = [
  { decoupled: false, weightDecay: 0 },
  { decoupled: false, weightDecay: 0.05 },
  { decoupled: true, weightDecay: 0.05 },
  { decoupled: true, weightDecay: 0 },
];

describe('adam kernel vs reference', () => {
  for (const n of sizes) {
    for (const c of configs) {
      it(`n=${n} ${c.decoupled ? 'AdamW' : 'Adam'} wd=${c.weightDecay}`, async () => {
        const gpu = await testGpu();
        const r = new Prng(n * 3 + (c.decoupled ? 1 : 0) + 100 * c.weightDecay);
        const padded = Math.ceil(n / 4) * 4;
        const init = new Float32Array(padded).fill(SENTINEL);
        init.set(r.floats(n));
        const zeros = new Float32Array(padded).fill(SENTINEL);
        zeros.fill(0, 0, n);
        const pb = gpu.upload(init, 'params');
        const gb = gpu.storage(padded * 4, 'grads');
        const mb = gpu.upload(zeros, 'm');
        const vb = gpu.upload(zeros, 'v');
        const cfg = { ...c, lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
        const k = await adam(gpu, { params: pb, grads: gb, m: mb, v: vb, n, step: 1, ...cfg });
        const p = Float64Array.from(init.subarray(0, n));
        const m = new Float64Array(n);
        const v = new Float64Array(n);
        for (let t = 1; t <= STEPS; t++) {
          const g = r.floats(n, -1, 1);
          gpu.write(gb, g);
          k.setParams(adamParams(n, cfg, t));
          gpu.run([k]);
          adamStepRef(p, g, m, v, cfg, t);
        }
        const [gotP, gotM, gotV] = [await gpu.readF32(pb, padded), await gpu.readF32(mb, padded), await gpu.readF32(vb, padded)];
        expectClose(gotP.subarray(0, n), p, { ...TOL, label: 'params' });
        expectClose(gotM.subarray(0, n), m, { atol: 1e-7, rtol: 1e-5, label: 'm' });
        expectClose(gotV.subarray(0, n), v, { atol: 1e-9, rtol: 1e-5, label: 'v' });
        for (const got of [gotP, gotM, gotV]) expect(Array.from(got.subarray(n)), 'past n untouched').toEqual(new Array(padded - n).fill(SENTINEL));
        k.dispose();
        for (const b of [pb, gb, mb, vb]) gpu.release(b);
      });
    }
  }

  it('adamParams: bias corrections in float64, decoupled decay as a factor', () => {
    const cfg = { lr: 0.1, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.5, decoupled: true };
    const p = adamParams(10, cfg, 2);
    expect(p.stepSize).toBeCloseTo(0.1 / (1 - 0.81), 12);
    expect(p.invSqrtBc2).toBeCloseTo(1 / Math.sqrt(1 - 0.9801), 12);
    expect(p.decay).toBeCloseTo(0.95, 14);
    expect(p.l2).toBe(0);
    const l2 = adamParams(10, { ...cfg, decoupled: false }, 1);
    expect([l2.decay, l2.l2]).toEqual([1, 0.5]);
    expect(() => adamParams(10, cfg, 0)).toThrow(/step/);
  });
});
