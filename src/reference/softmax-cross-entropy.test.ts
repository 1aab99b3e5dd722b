import { describe, expect, it } from 'vitest';
import { expectClose } from '../testing/allclose';
import { numericGrad } from '../testing/finite-diff';
import { Prng } from '../util/prng';
import { argmaxRef, softmaxCrossEntropyRef } from './softmax-cross-entropy';

describe('softmax cross-entropy reference', () => {
  for (const [N, classes] of [[1, 10], [3, 3], [4, 10], [2, 1]] as const) {
    it(`backward = finite differences of the mean loss, N=${N} classes=${classes}`, () => {
      const r = new Prng(N * 13 + classes);
      const x = Array.from({ length: N * classes }, () => r.uniform(-3, 3));
      const labels = Array.from({ length: N }, () => r.int(0, classes - 1));
      const mean = (xs: Float64Array): number => softmaxCrossEntropyRef(xs, labels, N, classes).lossSum / N;
      const numeric = numericGrad(mean, x);
      expectClose(softmaxCrossEntropyRef(x, labels, N, classes).dlogits, numeric, { atol: 1e-8, rtol: 1e-6, label: 'dlogits' });
    });
  }

  it('gradScale scales only the gradient', () => {
    const x = [0.5, -1, 2, 0, 1, 1];
    const a = softmaxCrossEntropyRef(x, [2, 0], 2, 3, 1);
    const b = softmaxCrossEntropyRef(x, [2, 0], 2, 3, 0.25);
    expect(b.lossSum).toBe(a.lossSum);
    expectClose(b.dlogits, a.dlogits.map((d) => d * 0.25), { atol: 1e-15, rtol: 0, label: 'scaled' });
  });

  it('known values: uniform logits give log(classes), probs sum to one', () => {
    const ref = softmaxCrossEntropyRef([7, 7, 7, 7, 7, 7, 7, 7, 7, 7], [4], 1, 10);
    expect(ref.rowLoss[0]).toBeCloseTo(Math.log(10), 12);
    expectClose(ref.probs, new Array(10).fill(0.1), { atol: 1e-15, rtol: 0, label: 'probs' });
    // p = [e^0, e^1] / (1 + e): loss for label 0 is log(1 + e).
    const two = softmaxCrossEntropyRef([0, 1], [0], 1, 2);
    expect(two.rowLoss[0]).toBeCloseTo(Math.log(1 + Math.E), 12);
    expect(two.correct).toBe(0);
  });

  it('large logits stay finite; a NaN or infinite logit or a bad label gives a non-finite loss', () => {
    const big = softmaxCrossEntropyRef([1000, -1000, 999, -1000, 1000, 0], [1, 2], 2, 3);
    expect(Number.isFinite(big.lossSum)).toBe(true);
    expect(big.rowLoss[0]).toBeCloseTo(2000 + Math.log(1 + Math.exp(-1)), 9);
    for (const bad of [NaN, Infinity, -Infinity]) {
      const ref = softmaxCrossEntropyRef([0, bad, 1, 0, 1, 2], [0, 2], 2, 3);
      expect(Number.isFinite(ref.rowLoss[0]!)).toBe(false);
      expect(Number.isFinite(ref.rowLoss[1]!)).toBe(true);
      expect(ref.nonFinite).toBe(1);
      expect(Number.isFinite(ref.lossSum)).toBe(false);
    }
    expect(softmaxCrossEntropyRef([0, 1, 2], [3], 1, 3).nonFinite).toBe(1);
  });

  it('argmax ties go to the lowest index; a NaN never replaces the running max', () => {
    expect(argmaxRef([1, 3, 3, 2], 0, 4)).toBe(1);
    expect(argmaxRef([9, 0, 5, 5], 1, 3)).toBe(1);
    expect(argmaxRef([1, NaN, 2], 0, 3)).toBe(2);
    const ref = softmaxCrossEntropyRef([2, 2, 1, 0, 0, 0], [0, 1], 2, 3);
    expect(ref.correct).toBe(1);
  });
});
