// Why: the oracle for the batch-norm kernels, written from the definitions in float64 (Ioffe & Szegedy
// 2015; PyTorch's conventions for the running statistics). Layout NCHW; a dense [N, F] input is the
// same thing with C = F and HW = 1. Statistics are per channel over the M = N·HW values of that channel.

export interface BatchNormShape {
  N: number;
  C: number;
  /** H·W (1 for a dense layer's [N, F]). */
  HW: number;
}

export interface BatchNormTrainResult {
  y: Float64Array;
  /** Per-channel batch mean. */
  mean: Float64Array;
  /** Per-channel 1/sqrt(biased variance + epsilon): what the forward saves for the backward. */
  invStd: Float64Array;
  /** Per-channel biased variance (divided by M): used to normalise. */
  variance: Float64Array;
  /** Per-channel unbiased variance (divided by M − 1; the biased one when M = 1): fed to the running var. */
  unbiasedVariance: Float64Array;
}

/** Calls f(c, index) for every element of channel c of an NCHW tensor. */
function forChannel({ N, C, HW }: BatchNormShape, c: number, f: (i: number) => void): void {
  for (let n = 0; n < N; n++) {
    const base = (n * C + c) * HW;
    for (let j = 0; j < HW; j++) f(base + j);
  }
}

/** Training forward: y = gamma·(x − mean)/sqrt(var + epsilon) + beta with the batch's own statistics. */
export function batchNormTrainRef(x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>, shape: BatchNormShape, epsilon: number): BatchNormTrainResult {
  const { N, C, HW } = shape;
  const M = N * HW;
  const y = new Float64Array(N * C * HW);
  const mean = new Float64Array(C);
  const invStd = new Float64Array(C);
  const variance = new Float64Array(C);
  const unbiasedVariance = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    let s = 0;
    forChannel(shape, c, (i) => (s += x[i]!));
    const mu = s / M;
    let q = 0;
    forChannel(shape, c, (i) => (q += (x[i]! - mu) ** 2));
    const v = q / M;
    const inv = 1 / Math.sqrt(v + epsilon);
    mean[c] = mu;
    variance[c] = v;
    unbiasedVariance[c] = M > 1 ? q / (M - 1) : v;
    invStd[c] = inv;
    forChannel(shape, c, (i) => (y[i] = gamma[c]! * (x[i]! - mu) * inv + beta[c]!));
  }
  return { y, mean, invStd, variance, unbiasedVariance };
}

/** PyTorch's running-statistics update: running = (1 − momentum)·running + momentum·batch (unbiased var). */
export function runningStatsRef(runningMean: ArrayLike<number>, runningVar: ArrayLike<number>, batch: BatchNormTrainResult, momentum: number): { runningMean: Float64Array; runningVar: Float64Array } {
  const C = batch.mean.length;
  const rm = new Float64Array(C);
  const rv = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    rm[c] = (1 - momentum) * runningMean[c]! + momentum * batch.mean[c]!;
    rv[c] = (1 - momentum) * runningVar[c]! + momentum * batch.unbiasedVariance[c]!;
  }
  return { runningMean: rm, runningVar: rv };
}

/** Eval forward: the same affine normalisation with the running statistics. */
export function batchNormEvalRef(x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>, runningMean: ArrayLike<number>, runningVar: ArrayLike<number>, shape: BatchNormShape, epsilon: number): Float64Array {
  const y = new Float64Array(shape.N * shape.C * shape.HW);
  for (let c = 0; c < shape.C; c++) {
    const inv = 1 / Math.sqrt(runningVar[c]! + epsilon);
    forChannel(shape, c, (i) => (y[i] = gamma[c]! * (x[i]! - runningMean[c]!) * inv + beta[c]!));
  }
  return y;
}

/**
 * Training backward, from the saved batch mean and inv-std. With x̂ = (x − mean)·invStd:
 * dbeta = Σ dy, dgamma = Σ dy·x̂, dx = (gamma·invStd/M)·(M·dy − Σ dy − x̂·Σ dy·x̂), sums over the channel.
 */
export function batchNormGradRef(x: ArrayLike<number>, dy: ArrayLike<number>, gamma: ArrayLike<number>, mean: ArrayLike<number>, invStd: ArrayLike<number>, shape: BatchNormShape): { dx: Float64Array; dgamma: Float64Array; dbeta: Float64Array } {
  const { N, C, HW } = shape;
  const M = N * HW;
  const dx = new Float64Array(N * C * HW);
  const dgamma = new Float64Array(C);
  const dbeta = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const mu = mean[c]!;
    const inv = invStd[c]!;
    let sdy = 0;
    let sdyx = 0;
    forChannel(shape, c, (i) => {
      sdy += dy[i]!;
      sdyx += dy[i]! * (x[i]! - mu) * inv;
    });
    dbeta[c] = sdy;
    dgamma[c] = sdyx;
    const k = (gamma[c]! * inv) / M;
    forChannel(shape, c, (i) => (dx[i] = k * (M * dy[i]! - sdy - (x[i]! - mu) * inv * sdyx)));
  }
  return { dx, dgamma, dbeta };
}
