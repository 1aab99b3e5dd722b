// Why: a quick GPU timing of the reference network's convolutions at batch 100 (GFLOP/s), for tuning.
// Skipped unless VITE_BENCH=1 (tests never assert timings):
//   VITE_BENCH=1 npx vitest run src/kernels/conv2d.bench.test.ts
import { describe, it } from 'vitest';
import type { Encodable } from '../gpu';
import { testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { conv2d, convOutSize, type Conv2dShape, type ConvTile } from './conv2d';
import { conv2dGradInput } from './conv2d-grad-input';
import { conv2dGradWeight } from './conv2d-grad-weight';
import { timeKernel } from './matmul.timing';

const conv1: Conv2dShape = { N: 100, C: 1, H: 28, W: 28, K: 32, FH: 3, FW: 3, S: 1, PH: 1, PW: 1, dilation: 1 };
const conv2: Conv2dShape = { N: 100, C: 32, H: 14, W: 14, K: 64, FH: 3, FW: 3, S: 1, PH: 1, PW: 1, dilation: 1 };
// Same FLOPs as conv2 forward, one reduction loop level: separates loop-nest cost from GEMM cost.
const conv1x1: Conv2dShape = { ...conv2, C: 288, FH: 1, FW: 1, PH: 0, PW: 0 };
const tiles = JSON.parse((import.meta.env.VITE_BENCH_TILES as string | undefined) ?? '[{}]') as Partial<ConvTile>[];
const ops = ((import.meta.env.VITE_BENCH_OPS as string | undefined) ?? 'c1f,c1gw,c2f,c2gi,c2gw').split(',');

describe.skipIf(!import.meta.env.VITE_BENCH)('conv2d speed (batch 100)', () => {
  it('reference network convolutions', async () => {
    const gpu = await testGpu();
    const r = new Prng(1);
    for (const [name, s] of [['c1', conv1], ['c2', conv2], ['x1', conv1x1]] as const) {
      const { OH, OW } = convOutSize(s);
      const flops = 2 * s.N * s.K * OH * OW * s.C * s.FH * s.FW;
      const x = gpu.upload(r.floats(s.N * s.C * s.H * s.W), 'x');
      const w = gpu.upload(r.floats(s.K * s.C * s.FH * s.FW), 'w');
      const b = gpu.upload(r.floats(s.K), 'b');
      const y = gpu.upload(r.floats(s.N * s.K * OH * OW), 'y');
      const dx = gpu.storage(s.N * s.C * s.H * s.W * 4, 'dx');
      const dw = gpu.storage(s.K * s.C * s.FH * s.FW * 4, 'dw');
      const db = gpu.storage(s.K * 4, 'db');
      for (const tile of tiles) {
        const kernels: [string, () => Promise<Encodable>][] = [
          [`${name}f`, () => conv2d(gpu, { ...s, x, w, b, y, relu: true, tile })],
          [`${name}gi`, () => conv2dGradInput(gpu, { ...s, dy: y, w, dx, tile })],
          [`${name}gw`, () => conv2dGradWeight(gpu, { ...s, x, dy: y, dw, db, tile })],
        ];
        for (const [op, make] of kernels) {
          if (!ops.includes(op)) continue;
          const k = await make();
          const ms = await timeKernel(gpu, k);
          console.log(`${op} ${JSON.stringify(s)} tile=${JSON.stringify(tile)}: ${ms.toFixed(1)} ms, ${(flops / ms / 1e6).toFixed(2)} GFLOP/s`);
          k.dispose();
        }
      }
      for (const buf of [x, w, b, y, dx, dw, db]) gpu.release(buf);
    }
  });
});
