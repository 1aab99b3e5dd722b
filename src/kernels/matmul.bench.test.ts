// Why: a quick GPU timing of the matmul kernels (GFLOP/s), for tuning tile shapes. Tiles are timed
// interleaved (round by round) so their ratios survive the machine's load drifting. Skipped unless
// VITE_BENCH=1 (tests never assert timings): VITE_BENCH=1 npx vitest run src/kernels/matmul.bench.test.ts
// VITE_BENCH_MATMUL_TILES: a JSON list of tiles; VITE_BENCH_TRANS_B=1 also times op(B) = Bᵀ.
import { describe, it } from 'vitest';
import type { Encodable } from '../gpu';
import { testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { matmul, type MatmulTile } from './matmul';
import { timeInterleaved } from './matmul.timing';

const env = import.meta.env as Record<string, string | undefined>;
type Tile = Partial<MatmulTile> & { variant?: 'vec4' | 'scalar' };

describe.skipIf(!env.VITE_BENCH)('matmul speed', () => {
  const n = 1024;
  const tiles = JSON.parse(env.VITE_BENCH_MATMUL_TILES ?? '[{"RG":2,"TQ":4},{"RG":4,"TQ":4},{"RG":4,"TQ":2}]') as Tile[];
  const trans = env.VITE_BENCH_TRANS_B ? [false, true] : [false];
  it('1024³, tiles interleaved', async () => {
    const gpu = await testGpu();
    const r = new Prng(1);
    const a = gpu.upload(r.floats(n * n), 'a');
    const b = gpu.upload(r.floats(n * n), 'b');
    const c = gpu.storage(n * n * 4, 'c');
    const kernels: [string, Encodable][] = [];
    for (const t of tiles) {
      const { variant, ...tile } = t;
      for (const transB of trans) {
        kernels.push([`matmul 1024³ ${JSON.stringify(t)} tB=${transB}`, await matmul(gpu, { a, b, c, M: n, N: n, K: n, transB, tile, variant })]);
      }
    }
    const times = await timeInterleaved(gpu, kernels, Number(env.VITE_BENCH_ROUNDS ?? 4));
    for (const [name, { best, median }] of times) {
      console.log(`${name}: best ${best.toFixed(0)} ms (${((2 * n ** 3) / best / 1e6).toFixed(2)} GFLOP/s), median ${median.toFixed(0)} ms`);
    }
    for (const [, k] of kernels) k.dispose();
    for (const x of [a, b, c]) gpu.release(x);
  });
});
