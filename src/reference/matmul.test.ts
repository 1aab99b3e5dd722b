import { describe, expect, it } from 'vitest';
import { Prng } from '../util/prng';
import { expectClose } from '../testing/allclose';
import { dot, numericGrad } from '../testing/finite-diff';
import { columnSumsRef, matmulRef, transposeRef } from './matmul';

describe('matmul reference', () => {
  it('matches a hand-computed product with bias and ReLU', () => {
    // [1 2; 3 4] · [1 0 -1; 0 1 1] + [0, 0, -4], then ReLU
    const c = matmulRef([1, 2, 3, 4], [1, 0, -1, 0, 1, 1], { M: 2, N: 3, K: 2, relu: true }, [0, 0, -4]);
    expect(Array.from(c)).toEqual([1, 2, 0, 3, 4, 0]);
  });

  it('transposed storage gives the same product', () => {
    const r = new Prng(3);
    const [M, N, K] = [3, 4, 5];
    const a = r.floats(M * K);
    const b = r.floats(K * N);
    const want = matmulRef(a, b, { M, N, K });
    expectClose(matmulRef(transposeRef(a, M, K), transposeRef(b, K, N), { M, N, K, transA: true, transB: true }), want, { atol: 1e-12, rtol: 0 });
  });

  it('dense backward identities (dx = dy·W, dW = dyᵀ·x, db = Σ dy) match finite differences', () => {
    const r = new Prng(11);
    const [B, I, O] = [3, 4, 2];
    const x = r.floats(B * I);
    const w = r.floats(O * I);
    const b = r.floats(O);
    const dy = r.floats(B * O);
    const fwd = (xs: ArrayLike<number>, ws: ArrayLike<number>, bs: ArrayLike<number>) => matmulRef(xs, ws, { M: B, N: O, K: I, transB: true }, bs);
    const tol = { atol: 1e-8, rtol: 1e-7 };
    expectClose(matmulRef(dy, w, { M: B, N: I, K: O }), numericGrad((xs) => dot(fwd(xs, w, b), dy), x), { ...tol, label: 'dx' });
    expectClose(matmulRef(dy, x, { M: O, N: I, K: B, transA: true }), numericGrad((ws) => dot(fwd(x, ws, b), dy), w), { ...tol, label: 'dW' });
    expectClose(columnSumsRef(dy, B, O), numericGrad((bs) => dot(fwd(x, w, bs), dy), b), { ...tol, label: 'db' });
  });
});
