import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropyRef } from '../reference/softmax-cross-entropy';
import { expectClose } from '../testing/allclose';
import { f32Buffer, testGpu, zeroBuffer } from '../testing/gpu';
import type { Gpu } from '../gpu';
import { Prng } from '../util/prng';
import { decodeStats, softmaxCrossEntropy, softmaxCrossEntropyParams, STATS_SLOT_BYTES, type LossStats } from './softmax-cross-entropy';

// f32 vs float64. Per element: one exp, one log, a sum of ≤ `classes` terms ≤ 1, so probs within a few
// ulps (atol 1e-6 near 0); the row loss log s − (x − m) loses ~ulp(|x − m|) (logits here ≤ 6 apart, and
// 1e-4 relative for the ±1000 case). dlogits carry gradScale. The loss sum over N rows adds ~N·ulp.
const PROB_TOL = { atol: 1e-6, rtol: 1e-5 };
const LOSS_TOL = { atol: 3e-6, rtol: 1e-5 };

function labelsFor(r: Prng, N: number, classes: number): Uint32Array {
  return Uint32Array.from({ length: N }, () => r.int(0, classes - 1));
}

async function readStats(gpu: Gpu, stats: GPUBuffer, slots: number): Promise<LossStats[]> {
  return decodeStats(await gpu.read(stats, 0, slots * STATS_SLOT_BYTES), slots);
}

function expectStats(got: LossStats, ref: ReturnType<typeof softmaxCrossEntropyRef>, N: number, label: string): void {
  expect(got.rows, `${label} rows`).toBe(N);
  expect(got.correct, `${label} correct`).toBe(ref.correct);
  expect(got.nonFinite, `${label} nonFinite`).toBe(ref.nonFinite);
  expectClose([got.lossSum], [ref.lossSum], { atol: 1e-6 * N, rtol: 1e-5, label: `${label} lossSum` });
}

describe('softmax-cross-entropy kernel vs reference', () => {
  // N: 1, odd, below/above one workgroup of rows, several rows per thread, the largest batch.
  for (const classes of [10, 3]) {
    for (const N of [1, 3, 100, 257, 1024]) {
      it(`all outputs, N=${N} classes=${classes}`, async () => {
        const gpu = await testGpu();
        const r = new Prng(N * 7 + classes);
        const x = r.floats(N * classes, -3, 3);
        const y = labelsFor(r, N, classes);
        const ref = softmaxCrossEntropyRef(x, y, N, classes);
        const bufs = {
          logits: f32Buffer(gpu, x),
          labels: gpu.upload(y, 'labels'),
          dlogits: zeroBuffer(gpu, N * classes),
          probs: zeroBuffer(gpu, N * classes),
          rowLoss: zeroBuffer(gpu, N),
          stats: zeroBuffer(gpu, 4),
        };
        const k = await softmaxCrossEntropy(gpu, { ...bufs, N, classes });
        gpu.run([k]);
        expectClose(await gpu.readF32(bufs.probs, N * classes), ref.probs, { ...PROB_TOL, label: 'probs' });
        expectClose(await gpu.readF32(bufs.rowLoss, N), ref.rowLoss, { ...LOSS_TOL, label: 'rowLoss' });
        expectClose(await gpu.readF32(bufs.dlogits, N * classes), ref.dlogits, { atol: PROB_TOL.atol / N, rtol: 1e-5, label: 'dlogits' });
        expectStats((await readStats(gpu, bufs.stats, 1))[0]!, ref, N, 'stats');
        k.dispose();
        for (const b of Object.values(bufs)) gpu.release(b);
      });
    }
  }

  it('dlogits only, custom gradScale, a ring slot, accumulation over two dispatches', async () => {
    const gpu = await testGpu();
    const r = new Prng(99);
    const N = 37;
    const classes = 10;
    const x1 = r.floats(N * classes, -4, 4);
    const x2 = r.floats(N * classes, -4, 4);
    const y = labelsFor(r, N, classes);
    const logits = f32Buffer(gpu, x1);
    const labels = gpu.upload(y, 'labels');
    const dlogits = zeroBuffer(gpu, N * classes);
    const stats = zeroBuffer(gpu, 4 * 4);
    const sentinel = Float32Array.of(-1, 0, 0, 0);
    gpu.write(stats, sentinel, 1 * STATS_SLOT_BYTES);
    const k = await softmaxCrossEntropy(gpu, { logits, labels, dlogits, stats, N, classes, gradScale: 0.5, slot: 2 });
    gpu.run([k]);
    const ref1 = softmaxCrossEntropyRef(x1, y, N, classes, 0.5);
    expectClose(await gpu.readF32(dlogits, N * classes), ref1.dlogits, { atol: 1e-6, rtol: 1e-5, label: 'dlogits' });
    // Second step adds to slot 2.
    gpu.write(logits, x2);
    k.setParams(softmaxCrossEntropyParams({ N, classes, gradScale: 0.5, slot: 2, accumulate: true }));
    gpu.run([k]);
    const ref2 = softmaxCrossEntropyRef(x2, y, N, classes, 0.5);
    const s = await readStats(gpu, stats, 4);
    expect(s[1]!.lossSum, 'slot 1 untouched').toBe(-1);
    expect(s[0]!.rows + s[3]!.rows, 'other slots untouched').toBe(0);
    expect(s[2]!.rows).toBe(2 * N);
    expect(s[2]!.correct).toBe(ref1.correct + ref2.correct);
    expectClose([s[2]!.lossSum], [ref1.lossSum + ref2.lossSum], { atol: 1e-4, rtol: 1e-5, label: 'accumulated lossSum' });
    // Overwrite again.
    k.setParams(softmaxCrossEntropyParams({ N, classes, gradScale: 0.5, slot: 2, accumulate: false }));
    gpu.run([k]);
    expectStats((await readStats(gpu, stats, 3))[2]!, ref2, N, 'overwritten');
    k.dispose();
    for (const b of [logits, labels, dlogits, stats]) gpu.release(b);
  });

  it('evaluation: row loss and stats without a gradient', async () => {
    const gpu = await testGpu();
    const r = new Prng(5);
    const N = 300;
    const x = r.floats(N * 10, -2, 2);
    const y = labelsFor(r, N, 10);
    const ref = softmaxCrossEntropyRef(x, y, N, 10);
    const logits = f32Buffer(gpu, x);
    const labels = gpu.upload(y, 'labels');
    const rowLoss = zeroBuffer(gpu, N);
    const stats = zeroBuffer(gpu, 4);
    const k = await softmaxCrossEntropy(gpu, { logits, labels, rowLoss, stats, N, classes: 10 });
    gpu.run([k]);
    expectClose(await gpu.readF32(rowLoss, N), ref.rowLoss, { ...LOSS_TOL, label: 'rowLoss' });
    expectStats((await readStats(gpu, stats, 1))[0]!, ref, N, 'eval');
    k.dispose();
    for (const b of [logits, labels, rowLoss, stats]) gpu.release(b);
  });

  // Rows: [±1000 logits], [NaN], [+Inf], [−Inf], [label out of range], [tie between 1 and 2], [normal].
  it('large logits stay finite; NaN/Inf logits and bad labels give a non-finite loss; ties → lowest index', async () => {
    const gpu = await testGpu();
    const classes = 3;
    const x = Float32Array.from([1000, -1000, 999, 0, NaN, 1, 0, Infinity, 1, -Infinity, 0, 1, 0, 1, 2, 0, 5, 5, 0.5, 0.1, -0.3]);
    const y = Uint32Array.from([2, 0, 1, 2, 3, 2, 0]);
    const N = y.length;
    const ref = softmaxCrossEntropyRef(x, y, N, classes);
    const logits = f32Buffer(gpu, x);
    const labels = gpu.upload(y, 'labels');
    const rowLoss = zeroBuffer(gpu, N);
    const dlogits = zeroBuffer(gpu, N * classes);
    const stats = zeroBuffer(gpu, 4);
    const k = await softmaxCrossEntropy(gpu, { logits, labels, rowLoss, dlogits, stats, N, classes });
    gpu.run([k]);
    const loss = await gpu.readF32(rowLoss, N);
    expectClose([loss[0]!], [ref.rowLoss[0]!], { atol: 1e-4, rtol: 1e-5, label: '±1000 row' });
    expect(Number.isFinite(loss[0]!)).toBe(true);
    for (const row of [1, 2, 3, 4]) expect(Number.isFinite(loss[row]!), `row ${row} loss ${loss[row]}`).toBe(false);
    expectClose(loss.slice(5), ref.rowLoss.slice(5), { ...LOSS_TOL, label: 'normal rows' });
    const d = await gpu.readF32(dlogits, N * classes);
    expect(d.slice(0, 3).every(Number.isFinite)).toBe(true);
    expect(Number.isNaN(d[3]!)).toBe(true);
    const s = (await readStats(gpu, stats, 1))[0]!;
    expect(Number.isFinite(s.lossSum)).toBe(false);
    expect(s.nonFinite).toBe(4);
    // Correct: row 0 argmax 0 ≠ 2; row 1 (NaN never wins) argmax 2 ≠ 0; row 2 argmax 1 (+Inf) = 1; row 3
    // argmax 2 = 2; row 4 bad label; row 5 tie 5, 5 → index 1 ≠ 2; row 6 argmax 0 = 0. So rows 2, 3, 6.
    expect(s.correct).toBe(ref.correct);
    expect(ref.correct).toBe(3);
    k.dispose();
    for (const b of [logits, labels, rowLoss, dlogits, stats]) gpu.release(b);
  });
});
