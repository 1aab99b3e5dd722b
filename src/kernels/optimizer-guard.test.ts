// The optimizers' NaN guard (issue 18 point 4): bound with the loss stats ring, SGD and Adam leave the
// weights and their moments untouched in a step whose stats slot counts a non-finite loss, and update
// them as usual in a step whose slot counts none.
import { describe, expect, it } from 'vitest';
import { testGpu } from '../testing/gpu';
import { adam, adamParams } from './adam';
import { sgd, sgdParams } from './sgd';

const n = 7;
const cfg = { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, decoupled: false, momentum: 0.9, nesterov: false };

describe('optimizer NaN guard', () => {
  for (const kind of ['sgd', 'adam'] as const) {
    it(`${kind}: a step whose stats slot counts a non-finite loss changes nothing; a clean one updates`, async () => {
      const gpu = await testGpu();
      const p0 = Float32Array.from({ length: 8 }, (_, i) => 1 + i);
      const params = gpu.upload(p0, 'params');
      const grads = gpu.upload(new Float32Array(8).fill(0.5), 'grads');
      const m = gpu.upload(new Float32Array(8), 'm');
      const v = gpu.upload(new Float32Array(8), 'v');
      // Slot 0: a clean step (lossSum, correct, rows, nonFinite = 0); slot 1: 3 rows non-finite.
      const stats = gpu.upload(new Uint32Array([0, 5, 16, 0, 0x7fc00000, 2, 16, 3]), 'stats');
      const k = kind === 'sgd' ? await sgd(gpu, { params, grads, velocity: m, n, ...cfg, guard: stats }) : await adam(gpu, { params, grads, m, v, n, ...cfg, step: 1, guard: stats });
      const setSlot = (slot: number) => (kind === 'sgd' ? k.setParams(sgdParams(n, cfg, slot) as never) : k.setParams(adamParams(n, cfg, 1, slot) as never));
      setSlot(1);
      gpu.run([k]);
      expect(Array.from(await gpu.readF32(params, 8))).toEqual(Array.from(p0));
      expect(Array.from(await gpu.readF32(m, 8))).toEqual(new Array(8).fill(0));
      setSlot(0);
      gpu.run([k]);
      const after = await gpu.readF32(params, 8);
      for (let i = 0; i < n; i++) expect(after[i]).toBeLessThan(p0[i]!);
      expect(after[7]).toBe(p0[7]);
      for (const b of [params, grads, m, v, stats]) gpu.release(b);
      k.dispose();
    });
  }
});
