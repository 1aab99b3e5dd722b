import { describe, expect, it } from 'vitest';
import { dropoutGradRef, dropoutMaskRef, dropoutRef } from '../reference/dropout';
import { expectClose } from '../testing/allclose';
import { f32Buffer, runAndRead, testGpu, zeroBuffer } from '../testing/gpu';
import { Prng } from '../util/prng';
import { dropout, dropoutGrad, dropoutParams } from './dropout';

// Kept values are x·f32(1/(1 − rate)) vs the float64 x/(1 − rate): one rounding of the scale and one
// of the product, so rtol 2.5e-7 (2 ulps); the mask itself must match the reference exactly.
const TOL = { atol: 0, rtol: 2.5e-7 };

/** Non-zero inputs of both signs, so y ≠ 0 exactly where the element was kept. */
function nonZero(r: Prng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (r.next() < 0.5 ? -1 : 1) * r.uniform(0.5, 2);
  return a;
}

function maskOf(y: ArrayLike<number>): Uint8Array {
  return Uint8Array.from(y, (v) => (v !== 0 ? 1 : 0));
}

function firstMismatch(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('dropout kernels vs reference', () => {
  // Sizes: 1, not a multiple of 4, not a multiple of the workgroup, larger than one workgroup.
  const cases = [
    { n: 1, rate: 0.5, seed: 1, step: 0 },
    { n: 3, rate: 0.1, seed: 7, step: 3 },
    { n: 1023, rate: 0.5, seed: 123456789, step: 17 },
    { n: 4097, rate: 0.25, seed: 0xffffffff, step: 0xfffffffe },
  ];
  for (const c of cases) {
    it(`forward and backward, n=${c.n} rate=${c.rate}`, async () => {
      const gpu = await testGpu();
      const r = new Prng(c.n + c.seed);
      const x = nonZero(r, c.n);
      const dy = nonZero(r, c.n);
      const xb = f32Buffer(gpu, x);
      const yb = zeroBuffer(gpu, c.n);
      const dyb = f32Buffer(gpu, dy);
      const dxb = zeroBuffer(gpu, c.n);
      const fwd = await dropout(gpu, { ...c, x: xb, y: yb });
      const bwd = await dropoutGrad(gpu, { ...c, dy: dyb, dx: dxb });
      const y = await runAndRead(gpu, [fwd], yb, c.n);
      const dx = await runAndRead(gpu, [bwd], dxb, c.n);
      const mask = dropoutMaskRef(c.n, c.rate, c.seed, c.step);
      expect(firstMismatch(maskOf(y), mask), 'first element where the forward mask differs').toBe(-1);
      expect(firstMismatch(maskOf(dx), mask), 'first element where the backward mask differs').toBe(-1);
      expectClose(y, dropoutRef(x, c.rate, c.seed, c.step), { ...TOL, label: 'y' });
      expectClose(dx, dropoutGradRef(dy, c.rate, c.seed, c.step), { ...TOL, label: 'dx' });
      fwd.dispose();
      bwd.dispose();
      for (const b of [xb, yb, dyb, dxb]) gpu.release(b);
    });
  }

  it('over 2^20 elements: exact mask, kept fraction ≈ 1 − rate, a new step (set by setParams) gives a new, independent mask', async () => {
    const gpu = await testGpu();
    const n = 1 << 20;
    const rate = 0.3;
    const seed = 2024;
    const ones = f32Buffer(gpu, new Float32Array(n).fill(1));
    const yb = zeroBuffer(gpu, n);
    const fwd = await dropout(gpu, { n, rate, seed, step: 5, x: ones, y: yb });
    const m5 = maskOf(await runAndRead(gpu, [fwd], yb, n));
    expect(firstMismatch(m5, dropoutMaskRef(n, rate, seed, 5))).toBe(-1);
    // Kept fraction: binomial, σ = sqrt(rate(1 − rate)/n) ≈ 4.5e-4; allow 6σ.
    const kept = m5.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(kept - (1 - rate))).toBeLessThan(6 * Math.sqrt((rate * (1 - rate)) / n));

    // Replaying with the same step reproduces the mask; the engine's per-step update is setParams.
    expect(firstMismatch(maskOf(await runAndRead(gpu, [fwd], yb, n)), m5)).toBe(-1);
    fwd.setParams(dropoutParams({ n, rate, seed, step: 6 }));
    const m6 = maskOf(await runAndRead(gpu, [fwd], yb, n));
    expect(firstMismatch(m6, dropoutMaskRef(n, rate, seed, 6))).toBe(-1);
    // Independent masks are both-kept for ≈ (1 − rate)² of the elements.
    let both = 0;
    for (let i = 0; i < n; i++) both += m5[i]! & m6[i]!;
    const p = (1 - rate) ** 2;
    expect(Math.abs(both / n - p)).toBeLessThan(6 * Math.sqrt((p * (1 - p)) / n));
    fwd.dispose();
    gpu.release(ones);
    gpu.release(yb);
  });

  it('rate 0 is the identity', async () => {
    const gpu = await testGpu();
    const x = new Prng(3).floats(37);
    const xb = f32Buffer(gpu, x);
    const yb = zeroBuffer(gpu, 37);
    const k = await dropout(gpu, { n: 37, rate: 0, seed: 1, step: 1, x: xb, y: yb });
    expect(await runAndRead(gpu, [k], yb, 37)).toEqual(x);
    k.dispose();
    gpu.release(xb);
    gpu.release(yb);
  });

  it('rejects rate ≥ 1', () => {
    expect(() => dropoutParams({ n: 4, rate: 1, seed: 0, step: 0 })).toThrow(/rate must be in \[0, 1\)/);
  });
});
