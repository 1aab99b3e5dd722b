// Why: the oracle for the fused softmax cross-entropy kernel (and the argmax the metrics kernels use),
// written from the definitions in float64: p = softmax(x), loss = −log p[label], dL/dx = (p − onehot)·scale.

export interface SoftmaxCrossEntropyRef {
  /** [N, classes] softmax probabilities. */
  probs: Float64Array;
  /** [N] −log p[r, label_r]; NaN for a row with a non-finite logit or a label ≥ classes. */
  rowLoss: Float64Array;
  /** Σ rowLoss (the mean loss is lossSum / N). */
  lossSum: number;
  /** Rows whose argmax (ties → lowest index) equals the label. */
  correct: number;
  /** Rows whose loss is not finite. */
  nonFinite: number;
  /** [N, classes] (p − onehot)·gradScale: the gradient of gradScale·Σ loss (gradScale = 1/N: the mean). */
  dlogits: Float64Array;
}

/** Index of the largest value in x[base .. base + n); ties → the lowest index; a NaN never
 *  replaces the running max (comparisons with NaN are false), as in the WGSL kernels. */
export function argmaxRef(x: ArrayLike<number>, base: number, n: number): number {
  let best = 0;
  for (let c = 1; c < n; c++) if (x[base + c]! > x[base + best]!) best = c;
  return best;
}

export function softmaxCrossEntropyRef(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  N: number,
  classes: number,
  gradScale = 1 / N,
): SoftmaxCrossEntropyRef {
  const probs = new Float64Array(N * classes);
  const rowLoss = new Float64Array(N);
  const dlogits = new Float64Array(N * classes);
  let lossSum = 0;
  let correct = 0;
  let nonFinite = 0;
  for (let r = 0; r < N; r++) {
    const base = r * classes;
    const label = labels[r]!;
    let m = -Infinity;
    let finite = true;
    for (let c = 0; c < classes; c++) {
      const v = logits[base + c]!;
      if (!Number.isFinite(v)) finite = false;
      m = Math.max(m, v);
    }
    let s = 0;
    for (let c = 0; c < classes; c++) s += Math.exp(logits[base + c]! - m);
    const valid = finite && label < classes;
    for (let c = 0; c < classes; c++) {
      const p = valid ? Math.exp(logits[base + c]! - m) / s : NaN;
      probs[base + c] = p;
      dlogits[base + c] = (p - (c === label ? 1 : 0)) * gradScale;
    }
    const loss = valid ? Math.log(s) - (logits[base + label]! - m) : NaN;
    rowLoss[r] = loss;
    lossSum += loss;
    if (!Number.isFinite(loss)) nonFinite++;
    if (argmaxRef(logits, base, classes) === label) correct++;
  }
  return { probs, rowLoss, lossSum, correct, nonFinite, dlogits };
}
