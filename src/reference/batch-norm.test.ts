import { describe, expect, it } from 'vitest';
import { expectClose } from '../testing/allclose';
import { dot, numericGrad } from '../testing/finite-diff';
import { Prng } from '../util/prng';
import { batchNormEvalRef, batchNormGradRef, batchNormTrainRef, runningStatsRef, type BatchNormShape } from './batch-norm';

// Tiny shapes: N = 1 with HW > 1, a dense-like HW = 1, and odd sizes everywhere.
const shapes: BatchNormShape[] = [
  { N: 1, C: 2, HW: 5 },
  { N: 3, C: 2, HW: 3 },
  { N: 4, C: 3, HW: 1 },
];
const EPS = 1e-3;

describe('batch-norm reference backward vs finite differences', () => {
  for (const shape of shapes) {
    it(`N=${shape.N} C=${shape.C} HW=${shape.HW}`, () => {
      const r = new Prng(shape.N * 100 + shape.C * 10 + shape.HW);
      const size = shape.N * shape.C * shape.HW;
      const x = r.floats(size, -2, 2);
      const gamma = r.floats(shape.C, 0.5, 1.5);
      const beta = r.floats(shape.C);
      const dy = r.floats(size);
      const fwd = batchNormTrainRef(x, gamma, beta, shape, EPS);
      const g = batchNormGradRef(x, dy, gamma, fwd.mean, fwd.invStd, shape);
      // The loss goes through the whole training forward: the batch statistics depend on x.
      const ndx = numericGrad((xs) => dot(batchNormTrainRef(xs, gamma, beta, shape, EPS).y, dy), x);
      const ndg = numericGrad((gs) => dot(batchNormTrainRef(x, gs, beta, shape, EPS).y, dy), gamma);
      const ndb = numericGrad((bs) => dot(batchNormTrainRef(x, gamma, bs, shape, EPS).y, dy), beta);
      const tol = { atol: 1e-6, rtol: 1e-6 };
      expectClose(g.dx, ndx, { ...tol, label: 'dx' });
      expectClose(g.dgamma, ndg, { ...tol, label: 'dgamma' });
      expectClose(g.dbeta, ndb, { ...tol, label: 'dbeta' });
    });
  }
});

describe('batch-norm reference forward', () => {
  it('normalises each channel to mean beta and std gamma (up to epsilon)', () => {
    const shape = { N: 3, C: 2, HW: 4 };
    const r = new Prng(5);
    const x = r.floats(24, 3, 7);
    const { y, mean, variance, unbiasedVariance } = batchNormTrainRef(x, [2, 0.5], [1, -1], shape, 0);
    for (let c = 0; c < 2; c++) {
      const vals = [0, 1, 2].flatMap((n) => [0, 1, 2, 3].map((j) => y[(n * 2 + c) * 4 + j]!));
      const m = vals.reduce((a, b) => a + b, 0) / 12;
      const v = vals.reduce((a, b) => a + (b - m) ** 2, 0) / 12;
      expect(m).toBeCloseTo(c === 0 ? 1 : -1, 10);
      expect(Math.sqrt(v)).toBeCloseTo(c === 0 ? 2 : 0.5, 10);
      expect(unbiasedVariance[c]).toBeCloseTo((variance[c]! * 12) / 11, 12);
      expect(mean[c]).toBeGreaterThan(3);
    }
  });

  it('updates running stats with PyTorch momentum and the unbiased variance', () => {
    // x = [1, 2, 3, 6] in one channel: mean 3, biased var 3.5, unbiased var 14/3.
    const batch = batchNormTrainRef([1, 2, 3, 6], [1], [0], { N: 4, C: 1, HW: 1 }, 1e-5);
    const { runningMean, runningVar } = runningStatsRef([0], [1], batch, 0.1);
    expect(runningMean[0]).toBeCloseTo(0.3, 12);
    expect(runningVar[0]).toBeCloseTo(0.9 + (0.1 * 14) / 3, 12);
  });

  it('eval forward uses the running statistics', () => {
    const y = batchNormEvalRef([1, 3], [2], [0.5], [1], [4], { N: 2, C: 1, HW: 1 }, 0);
    expectClose(y, [0.5, 2.5], { atol: 1e-12, rtol: 0, label: 'eval y' });
  });
});
