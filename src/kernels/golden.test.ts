// Why: the other kernel tests compare against src/reference/, which we wrote ourselves; a convention both
// got wrong (padding, pool divisor, running-variance bias, gradient scale, optimizer step) would pass
// them. Here our GPU kernels run on golden vectors that PyTorch produced (tools/golden-pytorch.py writes
// src/kernels/golden/*.json: float32 inputs, outputs computed in float64), so PyTorch is the judge.
//
// Tolerances (f32 GPU vs exact values): a sum of `len` f32 products of values of size ~1 is off by
// ~√len·ε, so sums get atol = 1e-5·√len and rtol 1e-5, as in conv2d.test.ts and matmul.test.ts
// (len = K for matmul; C·FH·FW, K·FH·FW and N·OH·OW for the convolution's y, dx and dw/db; FH·FW for
// average pooling). Max-pool y selects an input: exact, and its indices must match exactly. Batch norm
// (sums over ≤ 45 values, then element-wise work): 1e-5. Softmax: probs and dlogits 1e-6 + 1e-5
// relative, losses 3e-6 + 1e-5 relative. Optimizers, 3 steps of element-wise f32: 2e-6 + 2e-6 relative.
// Every convention slip is far outside these (e.g. divisor without padding ≥ 12%, unbiased vs biased
// variance ≥ 2%, momentum or bias-correction mistakes ≥ 1e-3).
import { describe, expect, it } from 'vitest';
import { expectClose, sumTolerance, type CloseOptions } from '../testing/allclose';
import { f32Buffer, PROFILES, runAndRead, testGpu, zeroBuffer } from '../testing/gpu';
import adamJson from './golden/adam.json';
import avgPoolJson from './golden/avg-pool.json';
import batchNormJson from './golden/batch-norm.json';
import conv2dJson from './golden/conv2d.json';
import matmulJson from './golden/matmul.json';
import maxPoolJson from './golden/max-pool.json';
import sgdJson from './golden/sgd.json';
import softmaxCrossEntropyJson from './golden/softmax-cross-entropy.json';
import { adam, adamParams } from './adam';
import { avgPool } from './avg-pool';
import { avgPoolGrad } from './avg-pool-grad';
import { batchNormTrain } from './batch-norm';
import { batchNormGrad } from './batch-norm-grad';
import type { Conv2dShape } from './conv2d';
import { conv2dGradInput } from './conv2d-grad-input';
import { conv2dAnyVariant, conv2dGradWeightAnyVariant } from '../testing/conv2d-direct';
import { matmul, matmulVec4Fits } from './matmul';
import { maxPool, type PoolShape } from './max-pool';
import { maxPoolGrad } from './max-pool-grad';
import { sgd } from './sgd';
import { decodeStats, softmaxCrossEntropy, STATS_SLOT_BYTES } from './softmax-cross-entropy';

interface MatmulCase {
  label: string;
  M: number;
  N: number;
  K: number;
  transA: boolean;
  transB: boolean;
  relu: boolean;
  a: number[];
  b: number[];
  bias: number[] | null;
  c: number[];
}
interface ConvCase extends Conv2dShape {
  label: string;
  OH: number;
  OW: number;
  x: number[];
  w: number[];
  b: number[];
  dy: number[];
  y: number[];
  dx: number[];
  dw: number[];
  db: number[];
}
interface PoolCase extends PoolShape {
  label: string;
  x: number[];
  dy: number[];
  y: number[];
  dx: number[];
}
interface MaxPoolCase extends PoolCase {
  /** PyTorch's argmax: the index within each (n, c) plane, ih·W + iw. */
  indices: number[];
}
interface BatchNormCase {
  label: string;
  N: number;
  C: number;
  HW: number;
  momentum: number;
  epsilon: number;
  x: number[];
  gamma: number[];
  beta: number[];
  runningMean0: number[];
  runningVar0: number[];
  dy: number[];
  y: number[];
  mean: number[];
  invStd: number[];
  runningMean: number[];
  runningVar: number[];
  dx: number[];
  dgamma: number[];
  dbeta: number[];
}
interface SoftmaxCrossEntropyCase {
  label: string;
  N: number;
  classes: number;
  gradScale: number;
  logits: number[];
  labels: number[];
  probs: number[];
  rowLoss: number[];
  lossSum: number;
  correct: number;
  dlogits: number[];
}
interface OptimizerCase {
  label: string;
  n: number;
  lr: number;
  weightDecay: number;
  params0: number[];
  /** One gradient per step, and the parameters after each step. */
  grads: number[][];
  params: number[][];
}
interface SgdCase extends OptimizerCase {
  momentum: number;
  nesterov: boolean;
  velocity: number[] | null;
}
interface AdamCase extends OptimizerCase {
  decoupled: boolean;
  beta1: number;
  beta2: number;
  epsilon: number;
  m: number[];
  v: number[];
}

const matmulCases: MatmulCase[] = matmulJson.cases;
const convCases: ConvCase[] = conv2dJson.cases;
const maxPoolCases: MaxPoolCase[] = maxPoolJson.cases;
const avgPoolCases: PoolCase[] = avgPoolJson.cases;
const batchNormCases: BatchNormCase[] = batchNormJson.cases;
const softmaxCases: SoftmaxCrossEntropyCase[] = softmaxCrossEntropyJson.cases;
const sgdCases: SgdCase[] = sgdJson.cases;
const adamCases: AdamCase[] = adamJson.cases;

const BATCH_NORM_TOL: CloseOptions = { atol: 1e-5, rtol: 1e-5 };
const PROB_TOL: CloseOptions = { atol: 1e-6, rtol: 1e-5 };
const LOSS_TOL: CloseOptions = { atol: 3e-6, rtol: 1e-5 };
const OPTIMIZER_TOL: CloseOptions = { atol: 2e-6, rtol: 2e-6 };

/** An output buffer pre-filled with NaN, so an element the kernel never writes fails the comparison. */
const nanBuffer = (gpu: Awaited<ReturnType<typeof testGpu>>, n: number) => f32Buffer(gpu, new Float32Array(n).fill(NaN));

/** A flat optimizer buffer padded to whole vec4s, as the optimizer kernels bind it. */
const vec4Padded = (values: number[]) => {
  const out = new Float32Array(Math.ceil(values.length / 4) * 4);
  out.set(values);
  return out;
};

describe('kernels vs PyTorch golden vectors', () => {
  // matmul and conv2d, whose kernels differ by profile, run on both (hardware forced on SwiftShader).
  for (const profile of PROFILES) for (const c of matmulCases) {
    it(`matmul (${profile} profile): ${c.label}`, async () => {
      const gpu = await testGpu(profile);
      const [ab, bb] = [f32Buffer(gpu, c.a), f32Buffer(gpu, c.b)];
      const biasb = c.bias ? f32Buffer(gpu, c.bias) : undefined;
      const cb = nanBuffer(gpu, c.M * c.N);
      const variants = profile === 'hardware' ? ([undefined] as const) : matmulVec4Fits(c) ? (['vec4', 'scalar'] as const) : (['scalar'] as const);
      for (const variant of variants) {
        const k = await matmul(gpu, { ...c, a: ab, b: bb, bias: biasb, c: cb, variant });
        expectClose(await runAndRead(gpu, [k], cb, c.M * c.N), c.c, { ...sumTolerance(c.K), label: `c ${variant}` });
        k.dispose();
      }
      for (const b of [ab, bb, biasb, cb]) if (b) gpu.release(b);
    });
  }

  for (const profile of PROFILES) for (const c of convCases) {
    it(`conv2d (${profile} profile): ${c.label}: forward + bias, grad-input, grad-weight, grad-bias`, async () => {
      const gpu = await testGpu(profile);
      const [xb, wb, bb, dyb] = [c.x, c.w, c.b, c.dy].map((d) => f32Buffer(gpu, d)) as [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer];
      const [yb, dxb, dwb, dbb] = [c.y, c.dx, c.dw, c.db].map((d) => nanBuffer(gpu, d.length)) as [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer];
      for (const variant of profile === 'hardware' ? ([undefined] as const) : (['gemm', 'direct'] as const)) {
        const fwd = await conv2dAnyVariant(gpu, { ...c, x: xb, w: wb, b: bb, y: yb, variant });
        expectClose(await runAndRead(gpu, [fwd], yb, c.y.length), c.y, { ...sumTolerance(c.C * c.FH * c.FW), label: `y ${variant}` });
        fwd.dispose();
        // grad-input: the default picks its fastest formulation for the shape; 'direct' forces the other.
        const gi = await conv2dGradInput(gpu, { ...c, dy: dyb, w: wb, dx: dxb, variant: variant === 'direct' ? 'direct' : undefined });
        expectClose(await runAndRead(gpu, [gi], dxb, c.dx.length), c.dx, { ...sumTolerance(c.K * c.FH * c.FW), label: `dx ${variant}` });
        gi.dispose();
        const gw = await conv2dGradWeightAnyVariant(gpu, { ...c, x: xb, dy: dyb, dw: dwb, db: dbb, variant });
        const t = sumTolerance(c.N * c.OH * c.OW);
        expectClose(await runAndRead(gpu, [gw], dwb, c.dw.length), c.dw, { ...t, label: `dw ${variant}` });
        expectClose(await gpu.readF32(dbb, c.db.length), c.db, { ...t, label: `db ${variant}` });
        gw.dispose();
        for (const b of [yb, dxb, dwb, dbb]) gpu.write(b, new Float32Array(b.size / 4).fill(NaN));
      }
      for (const b of [xb, wb, bb, dyb, yb, dxb, dwb, dbb]) gpu.release(b);
    });
  }

  for (const c of maxPoolCases) {
    it(`max-pool: ${c.label}: forward (values and argmax), backward`, async () => {
      const gpu = await testGpu();
      const [xb, dyb] = [f32Buffer(gpu, c.x), f32Buffer(gpu, c.dy)];
      const yb = nanBuffer(gpu, c.y.length);
      const dxb = nanBuffer(gpu, c.dx.length);
      const ab = gpu.upload(new Uint32Array(c.y.length).fill(0xffffffff), 'argmax');
      const fwd = await maxPool(gpu, { ...c, x: xb, y: yb, argmax: ab });
      // Exact: the golden y are float32 inputs written with 9 digits, so compare with them rounded to f32.
      expectClose(await runAndRead(gpu, [fwd], yb, c.y.length), Float32Array.from(c.y), { atol: 0, rtol: 0, label: 'y' });
      // Ours is a flat index into x: the (n, c) plane's offset plus PyTorch's in-plane index.
      const plane = c.OH * c.OW;
      const want = c.indices.map((idx, o) => Math.floor(o / plane) * c.H * c.W + idx);
      expect(Array.from(await gpu.readU32(ab, c.y.length)), 'argmax').toEqual(want);
      fwd.dispose();
      for (const gather of [false, true]) {
        const bwd = await maxPoolGrad(gpu, { ...c, dy: dyb, argmax: ab, dx: dxb, gather });
        const windows = Math.ceil(c.FH / c.S) * Math.ceil(c.FW / c.S);
        expectClose(await runAndRead(gpu, [bwd], dxb, c.dx.length), c.dx, { ...sumTolerance(windows), label: `dx (gather ${gather})` });
        bwd.dispose();
      }
      for (const b of [xb, dyb, yb, dxb, ab]) gpu.release(b);
    });
  }

  for (const c of avgPoolCases) {
    it(`avg-pool: ${c.label}: forward, backward (padding counted, divisor FH·FW)`, async () => {
      const gpu = await testGpu();
      const [xb, dyb] = [f32Buffer(gpu, c.x), f32Buffer(gpu, c.dy)];
      const yb = nanBuffer(gpu, c.y.length);
      const dxb = nanBuffer(gpu, c.dx.length);
      const t = sumTolerance(c.FH * c.FW);
      const fwd = await avgPool(gpu, { ...c, x: xb, y: yb });
      expectClose(await runAndRead(gpu, [fwd], yb, c.y.length), c.y, { ...t, label: 'y' });
      const bwd = await avgPoolGrad(gpu, { ...c, dy: dyb, dx: dxb });
      expectClose(await runAndRead(gpu, [bwd], dxb, c.dx.length), c.dx, { ...t, label: 'dx' });
      fwd.dispose();
      bwd.dispose();
      for (const b of [xb, dyb, yb, dxb]) gpu.release(b);
    });
  }

  for (const c of batchNormCases) {
    it(`batch-norm: ${c.label}: training forward, running stats (momentum ${c.momentum}), backward`, async () => {
      const gpu = await testGpu();
      const size = { N: c.N, C: c.C, HW: c.HW };
      const bufs = {
        x: f32Buffer(gpu, c.x),
        gamma: f32Buffer(gpu, c.gamma),
        beta: f32Buffer(gpu, c.beta),
        runningMean: f32Buffer(gpu, c.runningMean0),
        runningVar: f32Buffer(gpu, c.runningVar0),
        dy: f32Buffer(gpu, c.dy),
        y: nanBuffer(gpu, c.y.length),
        mean: nanBuffer(gpu, c.C),
        invStd: nanBuffer(gpu, c.C),
        dx: nanBuffer(gpu, c.dx.length),
        dgamma: nanBuffer(gpu, c.C),
        dbeta: nanBuffer(gpu, c.C),
      };
      const fwd = await batchNormTrain(gpu, { ...size, ...bufs, momentum: c.momentum, epsilon: c.epsilon });
      const bwd = await batchNormGrad(gpu, { ...size, ...bufs });
      gpu.run([fwd, bwd], 'test');
      const outputs = ['y', 'mean', 'invStd', 'runningMean', 'runningVar', 'dx', 'dgamma', 'dbeta'] as const;
      for (const name of outputs) {
        expectClose(await gpu.readF32(bufs[name], c[name].length), c[name], { ...BATCH_NORM_TOL, label: name });
      }
      fwd.dispose();
      bwd.dispose();
      for (const b of Object.values(bufs)) gpu.release(b);
    });
  }

  for (const c of softmaxCases) {
    it(`softmax-cross-entropy: ${c.label}: probs, row losses, loss sum, accuracy, dlogits (gradScale ${c.gradScale.toPrecision(3)})`, async () => {
      const gpu = await testGpu();
      const n = c.N * c.classes;
      const bufs = {
        logits: f32Buffer(gpu, c.logits),
        labels: gpu.upload(Uint32Array.from(c.labels), 'labels'),
        dlogits: nanBuffer(gpu, n),
        probs: nanBuffer(gpu, n),
        rowLoss: nanBuffer(gpu, c.N),
        stats: zeroBuffer(gpu, STATS_SLOT_BYTES / 4),
      };
      const k = await softmaxCrossEntropy(gpu, { ...bufs, N: c.N, classes: c.classes, gradScale: c.gradScale });
      gpu.run([k], 'test');
      expectClose(await gpu.readF32(bufs.probs, n), c.probs, { ...PROB_TOL, label: 'probs' });
      expectClose(await gpu.readF32(bufs.rowLoss, c.N), c.rowLoss, { ...LOSS_TOL, label: 'rowLoss' });
      expectClose(await gpu.readF32(bufs.dlogits, n), c.dlogits, { ...PROB_TOL, label: 'dlogits' });
      const [stats] = decodeStats(await gpu.read(bufs.stats, 0, STATS_SLOT_BYTES));
      expectClose([stats!.lossSum], [c.lossSum], { atol: LOSS_TOL.atol * c.N, rtol: LOSS_TOL.rtol, label: 'lossSum' });
      expect([stats!.correct, stats!.rows, stats!.nonFinite], 'correct, rows, nonFinite').toEqual([c.correct, c.N, 0]);
      k.dispose();
      for (const b of Object.values(bufs)) gpu.release(b);
    });
  }

  for (const c of sgdCases) {
    it(`sgd: ${c.label}: ${c.grads.length} steps`, async () => {
      const gpu = await testGpu();
      const pb = gpu.upload(vec4Padded(c.params0), 'params');
      const gb = gpu.upload(vec4Padded(c.grads[0]!), 'grads');
      const vb = c.velocity ? gpu.upload(vec4Padded(new Array<number>(c.n).fill(0)), 'velocity') : undefined;
      const k = await sgd(gpu, { ...c, params: pb, grads: gb, velocity: vb });
      for (const [t, g] of c.grads.entries()) {
        gpu.write(gb, vec4Padded(g));
        gpu.run([k], 'test');
        expectClose(await gpu.readF32(pb, c.n), c.params[t]!, { ...OPTIMIZER_TOL, label: `params after step ${t + 1}` });
      }
      if (c.velocity) expectClose(await gpu.readF32(vb!, c.n), c.velocity, { ...OPTIMIZER_TOL, label: 'velocity' });
      k.dispose();
      for (const b of [pb, gb, vb]) if (b) gpu.release(b);
    });
  }

  for (const c of adamCases) {
    it(`${c.decoupled ? 'adamw' : 'adam'}: ${c.label}: ${c.grads.length} steps`, async () => {
      const gpu = await testGpu();
      const zeros = vec4Padded(new Array<number>(c.n).fill(0));
      const [pb, gb, mb, vb] = [vec4Padded(c.params0), zeros, zeros, zeros].map((d, i) => gpu.upload(d, ['params', 'grads', 'm', 'v'][i]!)) as [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer];
      const k = await adam(gpu, { ...c, params: pb, grads: gb, m: mb, v: vb, step: 1 });
      for (const [t, g] of c.grads.entries()) {
        gpu.write(gb, vec4Padded(g));
        k.setParams(adamParams(c.n, c, t + 1));
        gpu.run([k], 'test');
        expectClose(await gpu.readF32(pb, c.n), c.params[t]!, { ...OPTIMIZER_TOL, label: `params after step ${t + 1}` });
      }
      expectClose(await gpu.readF32(mb, c.n), c.m, { atol: 1e-7, rtol: 1e-5, label: 'm' });
      expectClose(await gpu.readF32(vb, c.n), c.v, { atol: 1e-9, rtol: 1e-5, label: 'v' });
      k.dispose();
      for (const b of [pb, gb, mb, vb]) gpu.release(b);
    });
  }
});
