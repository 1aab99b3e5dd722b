// Why: the oracle for the pooling kernels (max, average, global average; forward and backward),
// written from the definitions in float64 with plain loops. The backward passes are written as
// scatters (each output sends its gradient to its inputs), the opposite of the GPU's gathers, so the
// two formulations check each other.
//
// Conventions shared with the kernels (NCHW, flat indices into the whole tensor):
// - windows start at oh·S − P, ow·S − P and cover FH×FW pixels; padded positions are skipped by max
//   (they never win) and count as zeros in the average, whose divisor is always FH·FW
//   (count_include_pad = true, PyTorch's default);
// - max ties: the first maximum in row-major window order wins (strict >), and its flat index
//   (n·C·H·W + c·H·W + ih·W + iw) is the argmax.

/** The sizes a pool is computed over (same fields as the kernels' PoolShape). */
export interface PoolDims {
  N: number;
  C: number;
  H: number;
  W: number;
  FH: number;
  FW: number;
  S: number;
  P: number;
  OH: number;
  OW: number;
}

/** floor((H + 2P − F)/S) + 1: the output size of a pool (or conv) along one axis. */
export function poolOutSize(H: number, F: number, S: number, P: number): number {
  return Math.floor((H + 2 * P - F) / S) + 1;
}

export function maxPoolRef(x: ArrayLike<number>, d: PoolDims): { y: Float64Array; argmax: Uint32Array } {
  const { N, C, H, W, FH, FW, S, P, OH, OW } = d;
  const y = new Float64Array(N * C * OH * OW);
  const argmax = new Uint32Array(y.length);
  let o = 0;
  for (let nc = 0; nc < N * C; nc++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        let best = -Infinity;
        let at = -1;
        for (let kh = 0; kh < FH; kh++) {
          for (let kw = 0; kw < FW; kw++) {
            const ih = oh * S - P + kh;
            const iw = ow * S - P + kw;
            if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue; // padding never wins
            const i = (nc * H + ih) * W + iw;
            if (at < 0 || x[i]! > best) {
              best = x[i]!;
              at = i;
            }
          }
        }
        if (at < 0) throw new Error(`maxPoolRef: window (${oh}, ${ow}) lies entirely in the padding`);
        y[o] = best;
        argmax[o] = at;
        o++;
      }
    }
  }
  return { y, argmax };
}

/** dx[argmax[o]] += dy[o]: every output routes its gradient to the input that won its window. */
export function maxPoolGradRef(dy: ArrayLike<number>, argmax: ArrayLike<number>, d: PoolDims): Float64Array {
  const dx = new Float64Array(d.N * d.C * d.H * d.W);
  for (let o = 0; o < dy.length; o++) dx[argmax[o]!]! += dy[o]!;
  return dx;
}

export function avgPoolRef(x: ArrayLike<number>, d: PoolDims): Float64Array {
  const { N, C, H, W, FH, FW, S, P, OH, OW } = d;
  const y = new Float64Array(N * C * OH * OW);
  let o = 0;
  for (let nc = 0; nc < N * C; nc++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        let sum = 0;
        for (let kh = 0; kh < FH; kh++) {
          for (let kw = 0; kw < FW; kw++) {
            const ih = oh * S - P + kh;
            const iw = ow * S - P + kw;
            if (ih >= 0 && ih < H && iw >= 0 && iw < W) sum += x[(nc * H + ih) * W + iw]!;
          }
        }
        y[o++] = sum / (FH * FW);
      }
    }
  }
  return y;
}

/** Each output spreads dy/(FH·FW) over the real (unpadded) pixels of its window. */
export function avgPoolGradRef(dy: ArrayLike<number>, d: PoolDims): Float64Array {
  const { N, C, H, W, FH, FW, S, P, OH, OW } = d;
  const dx = new Float64Array(N * C * H * W);
  let o = 0;
  for (let nc = 0; nc < N * C; nc++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const g = dy[o++]! / (FH * FW);
        for (let kh = 0; kh < FH; kh++) {
          for (let kw = 0; kw < FW; kw++) {
            const ih = oh * S - P + kh;
            const iw = ow * S - P + kw;
            if (ih >= 0 && ih < H && iw >= 0 && iw < W) dx[(nc * H + ih) * W + iw]! += g;
          }
        }
      }
    }
  }
  return dx;
}

/** [N, C, H·W] → [N, C]: the mean of each channel plane. */
export function globalAvgPoolRef(x: ArrayLike<number>, NC: number, HW: number): Float64Array {
  const y = new Float64Array(NC);
  for (let p = 0; p < NC; p++) {
    let sum = 0;
    for (let i = 0; i < HW; i++) sum += x[p * HW + i]!;
    y[p] = sum / HW;
  }
  return y;
}

/** dx[p, i] = dy[p] / HW for every pixel i of plane p. */
export function globalAvgPoolGradRef(dy: ArrayLike<number>, NC: number, HW: number): Float64Array {
  const dx = new Float64Array(NC * HW);
  for (let p = 0; p < NC; p++) dx.fill(dy[p]! / HW, p * HW, (p + 1) * HW);
  return dx;
}

/**
 * The awkward shapes every pool kernel test runs: batch 1, C = 1, odd sizes with a floor remainder,
 * overlap (F > S), gaps (S > F), padding, FH ≠ FW, 1×1, an output smaller than the floor size, and the
 * reference network's two pools. [N, C, H, W, FH, FW, S, P] (+ optional explicit OH, OW).
 */
export const POOL_CASES: readonly [string, PoolDims][] = (
  [
    ['N1 C1 7×7 F2 S2 (floor)', [1, 1, 7, 7, 2, 2, 2, 0]],
    ['13×11 F2 S2 (floor)', [1, 3, 13, 11, 2, 2, 2, 0]],
    ['13×11 F3 S2 overlap', [2, 3, 13, 11, 3, 3, 2, 0]],
    ['N1 C1 7×7 F3 S1 P1', [1, 1, 7, 7, 3, 3, 1, 1]],
    ['9×10 F3 S2 P1 overlap + pad', [2, 2, 9, 10, 3, 3, 2, 1]],
    ['6×5 FH3 FW2 S1 P1', [1, 2, 6, 5, 3, 2, 1, 1]],
    ['5×5 F1 S1', [1, 2, 5, 5, 1, 1, 1, 0]],
    ['11×12 F5 S3 P2', [1, 1, 11, 12, 5, 5, 3, 2]],
    ['8×9 F2 S3 gaps', [1, 2, 8, 9, 2, 2, 3, 0]],
    ['9×6 F2 S3 gaps, cells exactly S×S', [1, 2, 9, 6, 2, 2, 3, 0]],
    ['7×7 F2 S2 explicit OH 2 OW 3', [1, 1, 7, 7, 2, 2, 2, 0, 2, 3]],
    ['net pool 1: N2 C32 28×28 → 14×14', [2, 32, 28, 28, 2, 2, 2, 0]],
    ['net pool 2: N2 C64 14×14 → 7×7', [2, 64, 14, 14, 2, 2, 2, 0]],
  ] as const
).map(([name, [N, C, H, W, FH, FW, S, P, OH, OW]]) => [
  name,
  { N, C, H, W, FH, FW, S, P, OH: OH ?? poolOutSize(H, FH, S, P), OW: OW ?? poolOutSize(W, FW, S, P) },
]);
