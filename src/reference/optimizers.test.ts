import { describe, expect, it } from 'vitest';
import { expectClose } from '../testing/allclose';
import { Prng } from '../util/prng';
import { adamStepRef, sgdStepRef } from './optimizers';

describe('SGD reference', () => {
  it('hand-computed steps: momentum + weight decay, and Nesterov', () => {
    const p = Float64Array.of(1);
    const v = Float64Array.of(0);
    const cfg = { lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0.01 };
    sgdStepRef(p, [0.5], v, cfg); // g = 0.51, v = 0.51, p = 1 − 0.051
    expect(p[0]).toBeCloseTo(0.949, 14);
    sgdStepRef(p, [0.5], v, cfg); // g = 0.50949, v = 0.9·0.51 + 0.50949 = 0.96849
    expect(v[0]).toBeCloseTo(0.96849, 14);
    expect(p[0]).toBeCloseTo(0.852151, 14);
    const pn = Float64Array.of(1);
    sgdStepRef(pn, [0.5], Float64Array.of(0), { ...cfg, nesterov: true }); // update g + μv = 0.51·1.9
    expect(pn[0]).toBeCloseTo(1 - 0.1 * 0.969, 14);
  });

  it('constant gradient: velocity is the geometric sum g(1 − μ^t)/(1 − μ); no momentum leaves v alone', () => {
    const p = new Float64Array(3);
    const v = new Float64Array(3);
    for (let t = 1; t <= 7; t++) sgdStepRef(p, [1, -2, 0.5], v, { lr: 0.01, momentum: 0.8, nesterov: false, weightDecay: 0 });
    const geo = (1 - 0.8 ** 7) / 0.2;
    expectClose(v, [geo, -2 * geo, 0.5 * geo], { atol: 1e-14, rtol: 1e-13, label: 'velocity' });
    const v0 = Float64Array.of(5);
    const p0 = Float64Array.of(2);
    sgdStepRef(p0, [1], v0, { lr: 0.5, momentum: 0, nesterov: true, weightDecay: 0.5 });
    expect(v0[0]).toBe(5);
    expect(p0[0]).toBeCloseTo(2 - 0.5 * 2, 14);
  });
});

describe('Adam reference', () => {
  it('first step moves each parameter by about lr·sign(g), with L2 or decoupled decay', () => {
    const base = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1 };
    const pa = Float64Array.of(1);
    adamStepRef(pa, [-2], new Float64Array(1), new Float64Array(1), { ...base, decoupled: false }, 1);
    expect(pa[0]).toBeCloseTo(1 + 0.01 * (1.9 / (1.9 + 1e-8)), 12);
    const pw = Float64Array.of(1);
    adamStepRef(pw, [-2], new Float64Array(1), new Float64Array(1), { ...base, decoupled: true }, 1);
    expect(pw[0]).toBeCloseTo(0.999 + 0.01 * (2 / (2 + 1e-8)), 12);
  });

  it('equals the textbook form with bias-corrected m̂ and v̂ over several steps', () => {
    const r = new Prng(3);
    const n = 9;
    const cfg = { lr: 0.003, beta1: 0.8, beta2: 0.95, epsilon: 1e-6, weightDecay: 0, decoupled: false };
    const p = Float64Array.from(r.floats(n));
    const m = new Float64Array(n);
    const v = new Float64Array(n);
    const q = Float64Array.from(p);
    const mq = new Float64Array(n);
    const vq = new Float64Array(n);
    for (let t = 1; t <= 6; t++) {
      const g = r.floats(n, -2, 2);
      adamStepRef(p, g, m, v, cfg, t);
      for (let i = 0; i < n; i++) {
        mq[i] = 0.8 * mq[i]! + 0.2 * g[i]!;
        vq[i] = 0.95 * vq[i]! + 0.05 * g[i]! ** 2;
        const mh = mq[i]! / (1 - 0.8 ** t);
        const vh = vq[i]! / (1 - 0.95 ** t);
        q[i] = q[i]! - (0.003 * mh) / (Math.sqrt(vh) + 1e-6 * 1);
      }
    }
    // The two forms put ε in slightly different places (PyTorch: √v/√bc2 + ε, textbook: √v̂ + ε):
    // identical maths, so they agree to rounding.
    expectClose(p, q, { atol: 1e-13, rtol: 1e-12, label: 'adam forms' });
  });
});
