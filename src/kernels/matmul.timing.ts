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

/**
 * Interleaved timing of several kernels (the adapter's speed drifts with the machine's load, so variants
 * are compared round by round): one warm-up each, then `rounds` rounds timing every kernel once.
 * Returns best and median ms per name.
 */
export async function timeInterleaved(gpu: Gpu, kernels: [string, Encodable][], rounds = 5): Promise<Map<string, { best: number; median: number }>> {
  const times = new Map<string, number[]>(kernels.map(([n]) => [n, []]));
  for (const [, k] of kernels) {
    gpu.run([k], 'bench');
    await gpu.done();
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, k] of kernels) {
      const t0 = performance.now();
      gpu.run([k], 'bench');
      await gpu.done();
      times.get(name)!.push(performance.now() - t0);
    }
  }
  const out = new Map<string, { best: number; median: number }>();
  for (const [name, ts] of times) {
    const s = [...ts].sort((a, b) => a - b);
    out.set(name, { best: s[0]!, median: s[Math.floor(s.length / 2)]! });
  }
  return out;
}
