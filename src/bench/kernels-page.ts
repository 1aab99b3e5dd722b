// Why: bench-kernels.html's script (`npm run bench:kernels`). Times each of our WGSL kernels and the
// TF.js webgpu kernel that does the same job on the same shape, in the same browser run, and checks on
// the same inputs that both compute the same thing (so the FLOP counts compare like with like).
// TF.js runs NHWC with filters [FH,FW,C,K]; ours runs NCHW with [K,C,FH,FW]: inputs are transposed on
// the CPU before upload and outputs before comparison. The backward ops are called as the kernels
// tf.grad dispatches (Conv2DBackpropInput, Conv2DBackpropFilter, MaxPoolGrad), without the forward.
import * as tf from '@tensorflow/tfjs-core';
import { Gpu, type Encodable } from '../gpu';
import { conv2d, convOutSize, type Conv2dShape } from '../kernels/conv2d';
import { conv2dGradInput } from '../kernels/conv2d-grad-input';
import { conv2dGradWeight } from '../kernels/conv2d-grad-weight';
import { matmul } from '../kernels/matmul';
import { maxPool } from '../kernels/max-pool';
import { maxPoolGrad } from '../kernels/max-pool-grad';
import { Prng } from '../util/prng';
import { useTfBackend } from './tfjs-setup';
import type { KernelRow, KernelsResult } from './types';

const logEl = document.getElementById('log')!;
function log(line: string): void {
  console.log(`[bench] ${line}`);
  logEl.textContent += `\n${line}`;
}

/** [A,B,C,D] → [A,C,D,B] (NCHW → NHWC). */
function toNhwc(v: Float32Array, N: number, C: number, H: number, W: number): Float32Array {
  const o = new Float32Array(v.length);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) o[((n * H + h) * W + w) * C + c] = v[((n * C + c) * H + h) * W + w]!;
  return o;
}
/** [K,C,FH,FW] → [FH,FW,C,K]. */
function toRsck(v: Float32Array, K: number, C: number, FH: number, FW: number): Float32Array {
  const o = new Float32Array(v.length);
  for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) for (let i = 0; i < FH; i++) for (let j = 0; j < FW; j++) o[((i * FW + j) * C + c) * K + k] = v[((k * C + c) * FH + i) * FW + j]!;
  return o;
}

function agreement(ours: Float32Array, theirs: Float32Array): number {
  if (ours.length !== theirs.length) return Infinity;
  let maxAbs = 0;
  let maxDiff = 0;
  for (let i = 0; i < theirs.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(theirs[i]!));
    maxDiff = Math.max(maxDiff, Math.abs(ours[i]! - theirs[i]!));
  }
  return maxAbs === 0 ? (maxDiff === 0 ? NaN : Infinity) : maxDiff / maxAbs;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Timing {
  best: number;
  median: number;
  samples: number[];
}

/**
 * One side of a row (ours or TF.js): `run(iters)` runs it `iters` times back to back and waits for the
 * GPU to finish the last (ours: onSubmittedWorkDone; TF.js: data() of a 1-element slice of the last output).
 */
type Side = (iters: number) => Promise<void>;

function oursSide(gpu: Gpu, k: Encodable): Side {
  return async (iters) => {
    for (let i = 0; i < iters; i++) gpu.run([k], 'bench');
    await gpu.done();
  };
}

function tfjsSide(run: () => tf.Tensor): Side {
  return async (iters) => {
    let out: tf.Tensor | undefined;
    for (let i = 0; i < iters; i++) {
      out?.dispose();
      out = run();
    }
    const one = tf.slice(out!, new Array(out!.rank).fill(0), new Array(out!.rank).fill(1));
    await one.data();
    tf.dispose([one, out!]);
  };
}

async function msPerRun(side: Side, iters: number): Promise<number> {
  const t = performance.now();
  await side(iters);
  return (performance.now() - t) / iters;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/**
 * Times the sides of one row (undefined: a side that could not be made, left undefined): each gets a
 * warm-up run (TF.js compiles its shaders there) and a timed run that sets its sample size (enough runs
 * to last minSampleMs, at most 50); then `repeats` rounds take one sample of each side in turn, so a
 * drift in the machine's speed touches both sides alike. A side that throws gets its error instead.
 */
async function timeSides(sides: (Side | undefined)[], repeats: number, minSampleMs: number): Promise<(Timing | Error | undefined)[]> {
  const results: (Timing | Error | undefined)[] = sides.map(() => undefined);
  const timed: { i: number; side: Side; iters: number; samples: number[] }[] = [];
  for (const [i, side] of sides.entries()) {
    if (!side) continue;
    try {
      await side(1);
      const once = await msPerRun(side, 1);
      timed.push({ i, side, iters: Math.max(1, Math.min(50, Math.ceil(minSampleMs / Math.max(once, 0.01)))), samples: [] });
    } catch (e) {
      results[i] = asError(e);
    }
  }
  for (let r = 0; r < repeats; r++) {
    for (const t of timed) {
      if (results[t.i]) continue;
      try {
        t.samples.push(await msPerRun(t.side, t.iters));
      } catch (e) {
        results[t.i] = asError(e);
      }
    }
  }
  for (const t of timed) results[t.i] ??= { best: Math.min(...t.samples), median: median(t.samples), samples: t.samples };
  return results;
}

/**
 * The median over rounds of (the row's rate ÷ the matmul's rate) in that round: each ratio pairs samples
 * taken seconds apart, so a lucky or unlucky sample on one side (the VM's speed swings within a minute)
 * moves one ratio, not the result, as it can move best ÷ best.
 */
function roundRatioMedian(samples: number[], flops: number, refSamples: number[], refFlops: number): number {
  const n = Math.min(samples.length, refSamples.length);
  return median(Array.from({ length: n }, (_, r) => (flops / samples[r]!) / (refFlops / refSamples[r]!)));
}

interface Case {
  op: string;
  shape: string;
  flops: number;
  /** Builds our kernel; returns it with a reader of its output (already in TF.js's layout). */
  ours(gpu: Gpu): Promise<{ kernel: Encodable; read(): Promise<Float32Array>; free(): void }>;
  /** TF.js's op on the same inputs (its layout); tensors made here are disposed by the caller. */
  tfjs(): { run: () => tf.Tensor; inputs: tf.Tensor[] };
}

/** Our 1024³ matmul on operands a, b: the matmul row, and the same-moment reference of each convolution row. */
const MATMUL_N = 1024;
async function ourMatmul(gpu: Gpu, a: Float32Array, b: Float32Array): Promise<{ kernel: Encodable; read(): Promise<Float32Array>; free(): void }> {
  const n = MATMUL_N;
  const [ab, bb, cb] = [gpu.upload(a, 'a'), gpu.upload(b, 'b'), gpu.storage(n * n * 4, 'c')];
  const kernel = await matmul(gpu, { a: ab, b: bb, c: cb, M: n, N: n, K: n });
  return { kernel, read: () => gpu.readF32(cb, n * n), free: () => [ab, bb, cb].forEach((x) => gpu.release(x)) };
}

const conv1: Conv2dShape = { N: 100, C: 1, H: 28, W: 28, K: 32, FH: 3, FW: 3, S: 1, PH: 1, PW: 1, dilation: 1 };
const conv2: Conv2dShape = { N: 100, C: 32, H: 14, W: 14, K: 64, FH: 3, FW: 3, S: 1, PH: 1, PW: 1, dilation: 1 };

function cases(): Case[] {
  const list: Case[] = [];
  const r = new Prng(42);
  {
    const M = MATMUL_N, N = MATMUL_N, K = MATMUL_N;
    const a = r.floats(M * K), b = r.floats(K * N);
    list.push({
      op: 'matmul',
      shape: `${M}×${N}×${K}`,
      flops: 2 * M * N * K,
      ours: (gpu) => ourMatmul(gpu, a, b),
      tfjs() {
        const ta = tf.tensor2d(a, [M, K]), tb = tf.tensor2d(b, [K, N]);
        return { run: () => tf.matMul(ta, tb), inputs: [ta, tb] };
      },
    });
  }
  for (const [name, s] of [['conv1', conv1], ['conv2', conv2]] as const) {
    const { OH, OW } = convOutSize(s);
    const macs = s.N * s.K * OH * OW * s.C * s.FH * s.FW;
    const shape = `${name} x[${s.N},${s.C},${s.H},${s.W}] w[${s.K},${s.C},${s.FH},${s.FW}] P${s.PH}`;
    const x = r.floats(s.N * s.C * s.H * s.W), w = r.floats(s.K * s.C * s.FH * s.FW), dy = r.floats(s.N * s.K * OH * OW);
    const xT = () => tf.tensor4d(toNhwc(x, s.N, s.C, s.H, s.W), [s.N, s.H, s.W, s.C]);
    const wT = () => tf.tensor4d(toRsck(w, s.K, s.C, s.FH, s.FW), [s.FH, s.FW, s.C, s.K]);
    const dyT = () => tf.tensor4d(toNhwc(dy, s.N, s.K, OH, OW), [s.N, OH, OW, s.K]);
    const attrs = { strides: s.S, pad: s.PH, dataFormat: 'NHWC' } as const;
    list.push({
      op: `${name} forward`,
      shape,
      flops: 2 * macs,
      async ours(gpu) {
        const [xb, wb, yb] = [gpu.upload(x, 'x'), gpu.upload(w, 'w'), gpu.storage(dy.length * 4, 'y')];
        const kernel = await conv2d(gpu, { ...s, x: xb, w: wb, y: yb });
        return { kernel, read: async () => toNhwc(await gpu.readF32(yb, dy.length), s.N, s.K, OH, OW), free: () => [xb, wb, yb].forEach((b) => gpu.release(b)) };
      },
      tfjs() {
        const tx = xT(), tw = wT();
        return { run: () => tf.conv2d(tx, tw, s.S, s.PH), inputs: [tx, tw] };
      },
    });
    // The forward as training runs it: ReLU and the 2×2 max-pool in the GEMM's epilogue (TF.js: fused
    // conv2d with ReLU, then maxPool).
    const pooled = s.N * s.K * (OH / 2) * (OW / 2);
    list.push({
      op: `${name} forward + ReLU + max-pool (fused)`,
      shape,
      flops: 2 * macs,
      async ours(gpu) {
        const [xb, wb, yb, ab] = [gpu.upload(x, 'x'), gpu.upload(w, 'w'), gpu.storage(pooled * 4, 'y'), gpu.storage(pooled * 4, 'argmax')];
        const kernel = await conv2d(gpu, { ...s, x: xb, w: wb, y: yb, relu: true, pool: { argmax: ab } });
        return { kernel, read: async () => toNhwc(await gpu.readF32(yb, pooled), s.N, s.K, OH / 2, OW / 2), free: () => [xb, wb, yb, ab].forEach((b) => gpu.release(b)) };
      },
      tfjs() {
        const tx = xT(), tw = wT();
        return { run: () => tf.tidy(() => tf.maxPool(tf.fused.conv2d({ x: tx, filter: tw, strides: s.S, pad: s.PH, activation: 'relu' }), 2, 2, 0)), inputs: [tx, tw] };
      },
    });
    list.push({
      op: `${name} grad-input`,
      shape,
      flops: 2 * macs,
      async ours(gpu) {
        const [dyb, wb, dxb] = [gpu.upload(dy, 'dy'), gpu.upload(w, 'w'), gpu.storage(x.length * 4, 'dx')];
        const kernel = await conv2dGradInput(gpu, { ...s, dy: dyb, w: wb, dx: dxb });
        return { kernel, read: async () => toNhwc(await gpu.readF32(dxb, x.length), s.N, s.C, s.H, s.W), free: () => [dyb, wb, dxb].forEach((b) => gpu.release(b)) };
      },
      tfjs() {
        const tdy = dyT(), tw = wT();
        const a = { ...attrs, inputShape: [s.N, s.H, s.W, s.C] } as unknown as tf.NamedAttrMap;
        return { run: () => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: tdy, filter: tw }, a) as tf.Tensor, inputs: [tdy, tw] };
      },
    });
    list.push({
      op: `${name} grad-weight`,
      shape,
      flops: 2 * macs,
      async ours(gpu) {
        const [xb, dyb, dwb] = [gpu.upload(x, 'x'), gpu.upload(dy, 'dy'), gpu.storage(w.length * 4, 'dw')];
        const kernel = await conv2dGradWeight(gpu, { ...s, x: xb, dy: dyb, dw: dwb });
        return { kernel, read: async () => toRsck(await gpu.readF32(dwb, w.length), s.K, s.C, s.FH, s.FW), free: () => { kernel.dispose(); [xb, dyb, dwb].forEach((b) => gpu.release(b)); } };
      },
      tfjs() {
        const tx = xT(), tdy = dyT();
        const a = { ...attrs, filterShape: [s.FH, s.FW, s.C, s.K] } as unknown as tf.NamedAttrMap;
        return { run: () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: tx, dy: tdy }, a) as tf.Tensor, inputs: [tx, tdy] };
      },
    });
  }
  // Max-pool 2×2 stride 2 on the two conv outputs. "FLOPs" = window elements compared (N·C·OH·OW·F²).
  for (const [name, N, C, H, W] of [['pool1', 100, 32, 28, 28], ['pool2', 100, 64, 14, 14]] as const) {
    const OH = H / 2, OW = W / 2;
    const ps = { N, C, H, W, FH: 2, FW: 2, S: 2, P: 0, OH, OW };
    const x = r.floats(N * C * H * W), dy = r.floats(N * C * OH * OW);
    const shape = `${name} x[${N},${C},${H},${W}] 2×2 S2`;
    const flops = N * C * OH * OW * 4;
    list.push({
      op: `${name} max-pool forward`,
      shape,
      flops,
      async ours(gpu) {
        const [xb, yb, ab] = [gpu.upload(x, 'x'), gpu.storage(dy.length * 4, 'y'), gpu.storage(dy.length * 4, 'argmax')];
        const kernel = await maxPool(gpu, { ...ps, x: xb, y: yb, argmax: ab });
        return { kernel, read: async () => toNhwc(await gpu.readF32(yb, dy.length), N, C, OH, OW), free: () => [xb, yb, ab].forEach((b) => gpu.release(b)) };
      },
      tfjs() {
        const tx = tf.tensor4d(toNhwc(x, N, C, H, W), [N, H, W, C]);
        return { run: () => tf.maxPool(tx, 2, 2, 0), inputs: [tx] };
      },
    });
    list.push({
      op: `${name} max-pool grad`,
      shape,
      flops,
      async ours(gpu) {
        const [xb, yb, ab, dyb, dxb] = [gpu.upload(x, 'x'), gpu.storage(dy.length * 4, 'y'), gpu.storage(dy.length * 4, 'argmax'), gpu.upload(dy, 'dy'), gpu.storage(x.length * 4, 'dx')];
        const fwd = await maxPool(gpu, { ...ps, x: xb, y: yb, argmax: ab });
        gpu.run([fwd], 'argmax');
        fwd.dispose();
        const kernel = await maxPoolGrad(gpu, { ...ps, dy: dyb, argmax: ab, dx: dxb });
        return { kernel, read: async () => toNhwc(await gpu.readF32(dxb, x.length), N, C, H, W), free: () => [xb, yb, ab, dyb, dxb].forEach((b) => gpu.release(b)) };
      },
      tfjs() {
        const tx = tf.tensor4d(toNhwc(x, N, C, H, W), [N, H, W, C]);
        const ty = tf.maxPool(tx, 2, 2, 0);
        const tdy = tf.tensor4d(toNhwc(dy, N, C, OH, OW), [N, OH, OW, C]);
        const a = { filterSize: 2, strides: 2, pad: 0 } as unknown as tf.NamedAttrMap;
        return { run: () => tf.engine().runKernel(tf.MaxPoolGrad, { dy: tdy, input: tx, output: ty }, a) as tf.Tensor, inputs: [tx, ty, tdy] };
      },
    });
  }
  return list;
}

window.benchKernels = async ({ only, repeats = 3, minSampleMs = 300 } = {}): Promise<KernelsResult> => {
  const notes: string[] = [];
  const gpu = await Gpu.create();
  log(`ours: ${gpu.adapter.vendor} ${gpu.adapter.architecture} ${gpu.adapter.description}`);
  let tfError: string | undefined;
  let tfInfo: Awaited<ReturnType<typeof useTfBackend>> | undefined;
  try {
    tfInfo = await useTfBackend('webgpu');
  } catch (e) {
    tfError = e instanceof Error ? e.message : String(e);
    log(`TF.js webgpu unavailable: ${tfError}`);
  }
  // Made at the first convolution row (see KernelRow.of_matmul).
  let reference: Awaited<ReturnType<typeof ourMatmul>> | undefined;
  const refFlops = 2 * MATMUL_N ** 3;
  const rows: KernelRow[] = [];
  for (const c of cases()) {
    if (only && !only.some((o) => c.op.includes(o))) continue;
    const row: KernelRow = { op: c.op, shape: c.shape, flops: c.flops, ours_ms: null, tfjs_ms: null, ours_gflops: null, tfjs_gflops: null, ratio: null, agreement: null };
    let o: Awaited<ReturnType<Case['ours']>> | undefined;
    try {
      o = await c.ours(gpu);
    } catch (e) {
      row.ours_error = asError(e).message;
    }
    const made = tfInfo ? c.tfjs() : undefined;
    if (!made) row.tfjs_error = tfError;
    if (c.op.startsWith('conv')) reference ??= await ourMatmul(gpu, new Prng(7).floats(MATMUL_N ** 2), new Prng(8).floats(MATMUL_N ** 2));
    const refSide = c.op.startsWith('conv') ? oursSide(gpu, reference!.kernel) : undefined;
    const [ours, theirs, ref] = await timeSides([o && oursSide(gpu, o.kernel), made && tfjsSide(made.run), refSide], repeats, minSampleMs);
    if (ours instanceof Error) row.ours_error = ours.message;
    else if (ours) Object.assign(row, { ours_ms: ours.best, ours_samples_ms: ours.samples, ours_gflops: c.flops / ours.best / 1e6 });
    if (ref && !(ref instanceof Error) && row.ours_gflops !== null) {
      row.matmul_same_moment_gflops = refFlops / ref.best / 1e6;
      row.of_matmul = row.ours_gflops / row.matmul_same_moment_gflops;
      if (ours && !(ours instanceof Error)) row.of_matmul_round_median = roundRatioMedian(ours.samples, c.flops, ref.samples, refFlops);
    }
    if (theirs instanceof Error) row.tfjs_error = theirs.message;
    else if (theirs) Object.assign(row, { tfjs_ms: theirs.best, tfjs_samples_ms: theirs.samples, tfjs_gflops: c.flops / theirs.best / 1e6 });
    try {
      if (o && made && row.ours_ms !== null && row.tfjs_ms !== null) {
        const out = made.run();
        const theirOut = (await out.data()) as Float32Array;
        out.dispose();
        row.agreement = agreement(await o.read(), theirOut);
      }
    } catch (e) {
      row.tfjs_error = asError(e).message;
    } finally {
      if (made) tf.dispose(made.inputs);
      if (o) {
        o.kernel.dispose();
        o.free();
      }
    }
    if (row.ours_ms !== null && row.tfjs_ms !== null) row.ratio = row.tfjs_ms / row.ours_ms;
    rows.push(row);
    log(`${c.op} ${c.shape}: ours ${row.ours_ms?.toFixed(2) ?? row.ours_error} ms, tfjs ${row.tfjs_ms?.toFixed(2) ?? row.tfjs_error} ms, agreement ${row.agreement?.toExponential(1)}`);
  }
  notes.push(`timing: best of ${repeats} samples, each sample enough back-to-back runs to last ≥ ${minSampleMs} ms (max 50), ended by waiting for the GPU (ours: onSubmittedWorkDone; TF.js: data() of a 1-element slice of the last output), after a warm-up run; the samples of ours and TF.js alternate, so both see the same machine load`);
  notes.push('% of matmul (convolution rows): ours GFLOP/s ÷ our 1024³ matmul\'s, that matmul timed in the same rounds as the row (its samples alternate with both sides\'), so the VM\'s drift between rows does not enter the ratio');
  notes.push('per-round median (convolution rows): in each round, the row\'s rate ÷ the matmul\'s rate in that round; the median of those ratios (steadier than best ÷ best when the VM swings within a row)');
  notes.push('FLOPs: 2·M·N·K (matmul); 2·N·K·OH·OW·C·FH·FW for each convolution pass; max-pool counts window elements compared, N·C·OH·OW·F² (a memory-bound op: read it as elements/ns)');
  if (reference) {
    reference.kernel.dispose();
    reference.free();
  }
  gpu.destroy();
  return {
    rows,
    adapter: { ...gpu.adapter },
    ...(tfInfo?.adapter && { tfjsAdapter: tfInfo.adapter }),
    versions: tfInfo?.versions ?? {},
    notes,
  };
};
log('ready');
