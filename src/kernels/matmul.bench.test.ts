// Why: a quick GPU timing of the matmul kernels (GFLOP/s), for tuning tile shapes. Skipped unless
// VITE_BENCH=1 (tests never assert timings): VITE_BENCH=1 npx vitest run src/kernels/matmul.bench.test.ts
import { describe, it } from 'vitest';
import { testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { matmul, type MatmulTile } from './matmul';
import { timeKernel } from './matmul.timing';

const only = (import.meta.env.VITE_BENCH_ONLY as string | undefined) ?? '';

describe.skipIf(!import.meta.env.VITE_BENCH)('matmul speed', () => {
  const n = 1024;
  const tiles: (Partial<MatmulTile> & { variant?: 'vec4' | 'scalar' })[] = [
    { RG: 2, TQ: 4, WGX: 8, WGY: 8 },
    { RG: 4, TQ: 2, WGX: 8, WGY: 8 },
    { RG: 2, TQ: 2, WGX: 8, WGY: 8 },
    { variant: 'scalar', RG: 2, TQ: 4, WGX: 8, WGY: 8 },
  ];
  for (const [i, t] of tiles.entries()) {
    it(`1024³ ${JSON.stringify(t)}`, async ({ skip }) => {
      if (only && !only.split(',').includes(String(i))) skip();
      const gpu = await testGpu();
      const r = new Prng(1);
      const a = gpu.upload(r.floats(n * n), 'a');
      const b = gpu.upload(r.floats(n * n), 'b');
      const c = gpu.storage(n * n * 4, 'c');
      const { variant, ...tile } = t;
      for (const [transA, transB] of [[false, false], [false, true]] as const) {
        const k = await matmul(gpu, { a, b, c, M: n, N: n, K: n, transA, transB, tile, variant });
        const ms = await timeKernel(gpu, k);
        console.log(`matmul 1024³ ${JSON.stringify(t)} tA=${transA} tB=${transB}: ${ms.toFixed(0)} ms, ${((2 * n ** 3) / ms / 1e6).toFixed(2)} GFLOP/s`);
        k.dispose();
      }
      for (const x of [a, b, c]) gpu.release(x);
    });
  }
});
