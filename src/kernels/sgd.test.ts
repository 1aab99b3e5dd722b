import { describe, expect, it } from 'vitest';
import { sgdStepRef } from '../reference/optimizers';
import { expectClose } from '../testing/allclose';
import { testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { sgd, sgdParams } from './sgd';

// f32 vs float64 over STEPS steps: each step adds a few ulps of |p| ≈ 1 (and of |v| ≤ ~10).
const TOL = { atol: 2e-6, rtol: 2e-6 };
const STEPS = 5;
const SENTINEL = 12345;

// n: 1, 5 (one full vec4 + a partial one), 1003 (not a multiple of 4 or of a 1024-element workgroup).
const sizes = [1, 5, 1003];
const configs = [
  { momentum: 0, nesterov: false, weightDecay: 0 },
  { momentum: 0, nesterov: false, weightDecay: 0.01 },
  { momentum: 0.9, nesterov: false, weightDecay: 0 },
  { momentum: 0.9, nesterov: false, weightDecay: 0.05 },
  { momentum: 0.8, nesterov: true, weightDecay: 0 },
  { momentum: 0.9, nesterov: true, weightDecay: 0.05 },
];

describe('sgd kernel vs reference', () => {
  for (const n of sizes) {
    for (const c of configs) {
      it(`n=${n} momentum=${c.momentum} nesterov=${c.nesterov} wd=${c.weightDecay}`, async () => {
        const gpu = await testGpu();
        const r = new Prng(n + 100 * c.momentum + (c.nesterov ? 7 : 0) + 1000 * c.weightDecay);
        const padded = Math.ceil(n / 4) * 4;
        // The floats past n hold a sentinel: the partial last vec4 must not write them.
        const p0 = new Float32Array(padded).fill(SENTINEL);
        p0.set(r.floats(n));
        const pb = gpu.upload(p0, 'params');
        const gb = gpu.storage(padded * 4, 'grads');
        const vb = c.momentum !== 0 ? gpu.upload(new Float32Array(padded).fill(0).fill(SENTINEL, n), 'velocity') : undefined;
        const cfg = { ...c, lr: 0.05 };
        const k = await sgd(gpu, { params: pb, grads: gb, velocity: vb, n, ...cfg });
        const p = Float64Array.from(p0.subarray(0, n));
        const v = new Float64Array(n);
        for (let t = 0; t < STEPS; t++) {
          const g = r.floats(n, -2, 2);
          gpu.write(gb, g);
          // The learning rate changes per step through setParams (as a schedule would).
          const step = { ...cfg, lr: cfg.lr * (1 - 0.1 * t) };
          k.setParams(sgdParams(n, step));
          gpu.run([k]);
          sgdStepRef(p, g, v, step);
        }
        const got = await gpu.readF32(pb, padded);
        expectClose(got.subarray(0, n), p, { ...TOL, label: 'params' });
        expect(Array.from(got.subarray(n)), 'past n untouched').toEqual(new Array(padded - n).fill(SENTINEL));
        if (vb) {
          const gotV = await gpu.readF32(vb, padded);
          expectClose(gotV.subarray(0, n), v, { ...TOL, label: 'velocity' });
          expect(Array.from(gotV.subarray(n)), 'velocity past n untouched').toEqual(new Array(padded - n).fill(SENTINEL));
        }
        k.dispose();
        for (const b of [pb, gb, vb]) if (b) gpu.release(b);
      });
    }
  }

  it('rejects a binding that does not cover n rounded up to a vec4, and momentum without velocity', async () => {
    const gpu = await testGpu();
    const small = gpu.storage(256, 'p');
    await expect(sgd(gpu, { params: { buffer: small, offset: 0, size: 20 }, grads: small, n: 5, lr: 1, momentum: 0, nesterov: false, weightDecay: 0 })).rejects.toThrow(/32/);
    await expect(sgd(gpu, { params: small, grads: small, n: 5, lr: 1, momentum: 0.9, nesterov: false, weightDecay: 0 })).rejects.toThrow(/velocity/);
    gpu.release(small);
  });
});
