// Why: the benchmarks (matmul.bench.test.ts, conv2d.bench.test.ts) time kernels the same way: GPU time
// from submit to onSubmittedWorkDone, after a warm-up, best of a few repeats.
import type { Encodable, Gpu } from '../gpu';

/** Timing: one warm-up, then `reps` submits each awaited; returns the best ms. */
export async function timeKernel(gpu: Gpu, k: Encodable, reps = 3): Promise<number> {
  gpu.run([k], 'bench');
  await gpu.done();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    gpu.run([k], 'bench');
    await gpu.done();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
