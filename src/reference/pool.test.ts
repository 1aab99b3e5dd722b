import { describe, expect, it } from 'vitest';
import { expectClose } from '../testing/allclose';
import { dot, numericGrad } from '../testing/finite-diff';
import { Prng } from '../util/prng';
import {
  avgPoolGradRef,
  avgPoolRef,
  globalAvgPoolGradRef,
  globalAvgPoolRef,
  maxPoolGradRef,
  maxPoolRef,
  poolOutSize,
  type PoolDims,
} from './pool';

function dims(N: number, C: number, H: number, W: number, FH: number, FW: number, S: number, P: number): PoolDims {
  return { N, C, H, W, FH, FW, S, P, OH: poolOutSize(H, FH, S, P), OW: poolOutSize(W, FW, S, P) };
}

/** Distinct values at least 0.01 apart (a shuffled ramp), so the argmax cannot flip under a 1e-5 nudge. */
function distinct(r: Prng, n: number): Float64Array {
  const x = Float64Array.from({ length: n }, (_, i) => (i - n / 2) * 0.013);
  return r.shuffle(x);
}

// Tiny shapes: overlap (F > S), padding, odd sizes with a floor remainder, FH ≠ FW, C and N > 1.
const cases: [string, PoolDims][] = [
  ['F2 S2 4×4', dims(1, 1, 4, 4, 2, 2, 2, 0)],
  ['F3 S2 overlap 7×5', dims(1, 2, 7, 5, 3, 3, 2, 0)],
  ['F3 S1 P1 5×6', dims(2, 1, 5, 6, 3, 3, 1, 1)],
  ['F2 S2 odd 5×7 (floor)', dims(1, 1, 5, 7, 2, 2, 2, 0)],
  ['FH3 FW2 S1 P1 4×5', dims(1, 2, 4, 5, 3, 2, 1, 1)],
];

describe('pool reference: hand-checked values', () => {
  it('max-pool 2×2 picks the maximum, the first of ties in row-major order, never the padding', () => {
    // 1×1×4×4; windows of 2×2 stride 2.
    const x = [1, 5, 2, 2, 3, 4, 2, 2, -1, -3, 7, 0, -2, -4, 0, 7];
    const { y, argmax } = maxPoolRef(x, dims(1, 1, 4, 4, 2, 2, 2, 0));
    expect(Array.from(y)).toEqual([5, 2, -1, 7]);
    expect(Array.from(argmax)).toEqual([1, 2, 8, 10]); // ties (2,2,2,2) and (7,…,7) keep the first
    // All negative with padding 1: padding must not win with a 0.
    const neg = [-3, -2, -1, -4];
    const p = maxPoolRef(neg, dims(1, 1, 2, 2, 2, 2, 1, 1));
    expect(Array.from(p.y)).toEqual([-3, -2, -2, -1, -1, -2, -1, -1, -4]);
  });

  it('avg-pool with padding divides by FH·FW (count_include_pad)', () => {
    const x = [1, 2, 3, 4];
    const y = avgPoolRef(x, dims(1, 1, 2, 2, 2, 2, 1, 1));
    expect(Array.from(y)).toEqual([1 / 4, 3 / 4, 2 / 4, 4 / 4, 10 / 4, 6 / 4, 3 / 4, 7 / 4, 4 / 4]);
  });

  it('global average pool is the plane mean', () => {
    expect(Array.from(globalAvgPoolRef([1, 2, 3, 6, 10, 20, 30, 60], 2, 4))).toEqual([3, 30]);
  });
});

describe('pool reference backward vs finite differences', () => {
  for (const [name, d] of cases) {
    const n = d.N * d.C * d.H * d.W;
    const m = d.N * d.C * d.OH * d.OW;
    it(`max-pool ${name}`, () => {
      const r = new Prng(n * 7 + m);
      const x = distinct(r, n);
      const dy = r.floats(m);
      const { argmax } = maxPoolRef(x, d);
      const numeric = numericGrad((xs) => dot(maxPoolRef(xs, d).y, dy), x);
      expectClose(maxPoolGradRef(dy, argmax, d), numeric, { atol: 1e-6, rtol: 1e-6, label: name });
    });
    it(`avg-pool ${name}`, () => {
      const r = new Prng(n * 11 + m);
      const x = r.floats(n);
      const dy = r.floats(m);
      const numeric = numericGrad((xs) => dot(avgPoolRef(xs, d), dy), x);
      expectClose(avgPoolGradRef(dy, d), numeric, { atol: 1e-6, rtol: 1e-6, label: name });
    });
  }
  it('global average pool', () => {
    const r = new Prng(3);
    const x = r.floats(3 * 10);
    const dy = r.floats(3);
    const numeric = numericGrad((xs) => dot(globalAvgPoolRef(xs, 3, 10), dy), x);
    expectClose(globalAvgPoolGradRef(dy, 3, 10), numeric, { atol: 1e-6, rtol: 1e-6, label: 'gap' });
  });
});
