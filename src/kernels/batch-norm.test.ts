import { describe, expect, it } from 'vitest';
import { batchNormEvalRef, batchNormGradRef, batchNormTrainRef, runningStatsRef } from '../reference/batch-norm';
import { expectClose } from '../testing/allclose';
import { f32Buffer, testGpu, zeroBuffer } from '../testing/gpu';
import { Prng } from '../util/prng';
import { batchNormEval, batchNormStatsSpec, batchNormTrain } from './batch-norm';
import { batchNormGrad } from './batch-norm-grad';

interface Case {
  label: string;
  N: number;
  C: number;
  HW: number;
  /** Added to x: a large common offset is where E[x²] − E[x]² would lose the variance. */
  offset: number;
}

// Reductions: HW = 1 (every thread steps whole samples), HW = 16 (divides the workgroup), odd HW (wraps
// at varying threads), HW > 256 (a thread stays inside one sample row), a long reduction M = 16·784.
// Element-wise passes: HW < 4 (a thread's 4 elements span up to 4 channels: the general path), HW ≥ 4
// with channel changes inside a thread (the two-channel fast path), C = 1, and sizes not multiples of 4.
const cases: Case[] = [
  { label: 'N=1 conv 5×6', N: 1, C: 2, HW: 30, offset: 0 },
  { label: 'N=3 C=5 conv 7×5', N: 3, C: 5, HW: 35, offset: 0 },
  { label: 'dense N=4 F=13', N: 4, C: 13, HW: 1, offset: 0 },
  { label: 'N=5 C=4 conv 4×4', N: 5, C: 4, HW: 16, offset: 0 },
  { label: 'N=2 C=5 conv 3×1 (one thread spans 2–3 channels)', N: 2, C: 5, HW: 3, offset: 0 },
  { label: 'N=3 C=1 conv 2×5', N: 3, C: 1, HW: 10, offset: 0 },
  { label: 'offset 50, N=2 C=3 conv 3×3', N: 2, C: 3, HW: 9, offset: 50 },
  { label: 'long: N=16 C=3 conv 28×28', N: 16, C: 3, HW: 784, offset: 0.5 },
];

const EPSILON = 1e-5;
const MOMENTUM = 0.1;

/**
 * Tolerances, f32 GPU vs float64 reference on the same f32 inputs. The statistics are sums over
 * M = N·HW values (each thread sums ~M/256 of them in order, a tree combines the 256 partials), so
 * their error grows with M; the rest is a few ulps of element-wise arithmetic. t(M) = 5e-7·(1 + √M/32)
 * (≈ 4 ulps at small M, 2.3e-6 at M = 12,544; measured worst errors are ≤ 1/3 of it) is the rtol, and
 * the atol for O(1) outputs (invStd, running var, y, dx). Outputs that carry the size of the data get
 * atol scaled: mean, running mean and everything computed from x − mean (y, eval y, dx) by 1 + |offset|,
 * since the f32 mean is only known to ~|mean|·2^−24; dgamma and dbeta, sums of M terms of size O(1),
 * by √M (their typical size) times the same 1 + |offset|.
 */
function tol(M: number, scale = 1): { atol: number; rtol: number } {
  const t = 5e-7 * (1 + Math.sqrt(M) / 32);
  return { atol: t * scale, rtol: t };
}

function sizeOf(c: Case): number {
  return c.N * c.C * c.HW;
}

describe('batch-norm kernels vs reference', () => {
  for (const c of cases) {
    it(`${c.label}: train forward, running stats, eval forward, backward`, async () => {
      const gpu = await testGpu();
      const r = new Prng(c.N * 1000 + c.C * 37 + c.HW);
      const shape = { N: c.N, C: c.C, HW: c.HW };
      const M = c.N * c.HW;
      const n = sizeOf(c);
      // Per-channel different location and scale, so a mix-up of channels shows.
      const x = new Float32Array(n);
      for (let nn = 0; nn < c.N; nn++)
        for (let ch = 0; ch < c.C; ch++)
          for (let j = 0; j < c.HW; j++) x[(nn * c.C + ch) * c.HW + j] = c.offset + ch * 0.3 + (1 + ch * 0.5) * r.uniform(-1, 1);
      const gamma = r.floats(c.C, 0.5, 1.5);
      const beta = r.floats(c.C);
      const rm0 = r.floats(c.C);
      const rv0 = r.floats(c.C, 0.5, 2);
      const dy = r.floats(n);

      const bufs = {
        x: f32Buffer(gpu, x),
        gamma: f32Buffer(gpu, gamma),
        beta: f32Buffer(gpu, beta),
        y: zeroBuffer(gpu, n),
        mean: zeroBuffer(gpu, c.C),
        invStd: zeroBuffer(gpu, c.C),
        runningMean: f32Buffer(gpu, rm0),
        runningVar: f32Buffer(gpu, rv0),
        yEval: zeroBuffer(gpu, n),
        dy: f32Buffer(gpu, dy),
        dx: zeroBuffer(gpu, n),
        dgamma: zeroBuffer(gpu, c.C),
        dbeta: zeroBuffer(gpu, c.C),
      };
      const train = await batchNormTrain(gpu, { ...bufs, ...shape, momentum: MOMENTUM, epsilon: EPSILON });
      const evalK = await batchNormEval(gpu, { ...bufs, y: bufs.yEval, ...shape, epsilon: EPSILON });
      const grad = await batchNormGrad(gpu, { ...bufs, ...shape });
      // Forward (train), then eval with the just-updated running stats, then backward, in one pass.
      gpu.run([train, evalK, grad]);
      const [y, mean, invStd, rm, rv, yEval, dx, dgamma, dbeta] = await Promise.all([
        gpu.readF32(bufs.y, n),
        gpu.readF32(bufs.mean, c.C),
        gpu.readF32(bufs.invStd, c.C),
        gpu.readF32(bufs.runningMean, c.C),
        gpu.readF32(bufs.runningVar, c.C),
        gpu.readF32(bufs.yEval, n),
        gpu.readF32(bufs.dx, n),
        gpu.readF32(bufs.dgamma, c.C),
        gpu.readF32(bufs.dbeta, c.C),
      ]);

      const ref = batchNormTrainRef(x, gamma, beta, shape, EPSILON);
      const run = runningStatsRef(rm0, rv0, ref, MOMENTUM);
      const refEval = batchNormEvalRef(x, gamma, beta, run.runningMean, run.runningVar, shape, EPSILON);
      const refGrad = batchNormGradRef(x, dy, gamma, ref.mean, ref.invStd, shape);
      const t = tol(M);
      const tx = tol(M, Math.abs(c.offset) + 1);
      const ts = tol(M, Math.sqrt(M) * (Math.abs(c.offset) + 1));
      expectClose(mean, ref.mean, { ...tx, label: `${c.label} mean` });
      expectClose(invStd, ref.invStd, { ...t, label: `${c.label} invStd` });
      expectClose(y, ref.y, { ...tx, label: `${c.label} y` });
      expectClose(rm, run.runningMean, { ...tx, label: `${c.label} runningMean` });
      expectClose(rv, run.runningVar, { ...t, label: `${c.label} runningVar` });
      expectClose(yEval, refEval, { ...tx, label: `${c.label} eval y` });
      expectClose(dx, refGrad.dx, { ...tx, label: `${c.label} dx` });
      expectClose(dgamma, refGrad.dgamma, { ...ts, label: `${c.label} dgamma` });
      expectClose(dbeta, refGrad.dbeta, { ...ts, label: `${c.label} dbeta` });

      train.dispose();
      evalK.dispose();
      grad.dispose();
      for (const b of Object.values(bufs)) gpu.release(b);
    });
  }

  it('each replay of the training forward moves the running stats once more; momentum 0 freezes them', async () => {
    const gpu = await testGpu();
    const shape = { N: 4, C: 2, HW: 3 };
    const r = new Prng(77);
    const x = r.floats(24, 1, 3);
    const bufs = {
      x: f32Buffer(gpu, x),
      gamma: f32Buffer(gpu, [1, 1]),
      beta: f32Buffer(gpu, [0, 0]),
      y: zeroBuffer(gpu, 24),
      mean: zeroBuffer(gpu, 2),
      invStd: zeroBuffer(gpu, 2),
      runningMean: f32Buffer(gpu, [0, 0]),
      runningVar: f32Buffer(gpu, [1, 1]),
    };
    const train = await batchNormTrain(gpu, { ...bufs, ...shape, momentum: 0.25 });
    gpu.run([train, train, train]);
    const rm = await gpu.readF32(bufs.runningMean, 2);
    const rv = await gpu.readF32(bufs.runningVar, 2);
    const ref = batchNormTrainRef(x, [1, 1], [0, 0], shape, 1e-5);
    let exp: { runningMean: Float64Array; runningVar: Float64Array } = { runningMean: Float64Array.from([0, 0]), runningVar: Float64Array.from([1, 1]) };
    for (let i = 0; i < 3; i++) exp = runningStatsRef(exp.runningMean, exp.runningVar, ref, 0.25);
    expectClose(rm, exp.runningMean, { atol: 1e-6, rtol: 1e-5, label: 'runningMean after 3 steps' });
    expectClose(rv, exp.runningVar, { atol: 1e-6, rtol: 1e-5, label: 'runningVar after 3 steps' });
    const frozen = await batchNormTrain(gpu, { ...bufs, ...shape, momentum: 0 });
    gpu.run([frozen]);
    expect(await gpu.readF32(bufs.runningMean, 2)).toEqual(rm);
    expect(await gpu.readF32(bufs.runningVar, 2)).toEqual(rv);
    train.dispose();
    frozen.dispose();
    for (const b of Object.values(bufs)) gpu.release(b);
  });

  it('rejects a workgroup that is not a power of two', async () => {
    const gpu = await testGpu();
    await expect(gpu.prepare(batchNormStatsSpec, { WG: 96 })).rejects.toThrow(/batch-norm-stats: WG must be a power of two/);
  });
});
