// Why: the oracle for the matmul kernels and the dense layers built on them, written from the
// definitions in float64 (C[m,n] = Σ_k op(A)[m,k]·op(B)[k,n] + bias[n], then ReLU).

export interface MatmulRefShape {
  M: number;
  N: number;
  K: number;
  /** A stored [K,M] instead of [M,K]. */
  transA?: boolean;
  /** B stored [N,K] instead of [K,N]. */
  transB?: boolean;
  relu?: boolean;
}

export function matmulRef(a: ArrayLike<number>, b: ArrayLike<number>, s: MatmulRefShape, bias?: ArrayLike<number>): Float64Array {
  const { M, N, K } = s;
  const c = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let acc = bias ? bias[n]! : 0;
      for (let k = 0; k < K; k++) {
        const av = s.transA ? a[k * M + m]! : a[m * K + k]!;
        const bv = s.transB ? b[n * K + k]! : b[k * N + n]!;
        acc += av * bv;
      }
      c[m * N + n] = s.relu && acc < 0 ? 0 : acc;
    }
  }
  return c;
}

/** Stores an [R,C] row-major matrix as [C,R] (to build transposed operands in tests). */
export function transposeRef(x: ArrayLike<number>, R: number, C: number): Float64Array {
  const t = new Float64Array(R * C);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) t[c * R + r] = x[r * C + c]!;
  return t;
}

/** Column sums of an [R,C] matrix: the bias gradient of a dense layer from dy [batch, out]. */
export function columnSumsRef(x: ArrayLike<number>, R: number, C: number): Float64Array {
  const s = new Float64Array(C);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) s[c] = s[c]! + x[r * C + c]!;
  return s;
}
