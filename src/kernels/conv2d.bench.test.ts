// Why: a quick GPU timing of the reference network's convolutions at batch 100 (GFLOP/s), for tuning.
// Variants are timed interleaved (round by round) so their ratios survive the machine's load drifting.
// Skipped unless VITE_BENCH=1 (tests never assert timings):
//   VITE_BENCH=1 npx vitest run src/kernels/conv2d.bench.test.ts
// VITE_BENCH_OPS picks ops (c1f,c1gi,c1gw,c2f,c2gi,c2gw; c1fp, c2fp: forward with ReLU and a fused 2×2 max-pool; c1relu, c2relu: a ReLU over the conv's output,
// the memory floor of a pass that reads or writes that tensor once), VITE_BENCH_VARIANTS variants (gemm,direct,rows),
// VITE_BENCH_TILES a JSON list of tile overrides, VITE_BENCH_ROUNDS the rounds.
import { describe, it } from 'vitest';
import type { Encodable } from '../gpu';
import { testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { activation } from './activation';
import { convOutSize, type Conv2dShape, type ConvTile } from './conv2d';
import { conv2dGradInput } from './conv2d-grad-input';
import { conv2dAnyVariant, conv2dGradWeightAnyVariant } from '../testing/conv2d-direct';
import { padInput } from './conv2d-gemm';
import { timeInterleaved } from './matmul.timing';

const env = import.meta.env as Record<string, string | undefined>;
const conv1: Conv2dShape = { N: 100, C: 1, H: 28, W: 28, K: 32, FH: 3, FW: 3, S: 1, PH: 1, PW: 1, dilation: 1 };
const conv2: Conv2dShape = { N: 100, C: 32, H: 14, W: 14, K: 64, FH: 3, FW: 3, S: 1, PH: 1, PW: 1, dilation: 1 };
const tiles = JSON.parse(env.VITE_BENCH_TILES ?? '[{}]') as Partial<ConvTile>[];
const ops = (env.VITE_BENCH_OPS ?? 'c1f,c1gw,c2f,c2gi,c2gw').split(',');
const variants = (env.VITE_BENCH_VARIANTS ?? 'gemm,direct').split(',') as ('gemm' | 'direct' | 'rows')[];
const rounds = Number(env.VITE_BENCH_ROUNDS ?? 5);
/** Grad-weight batch splits to compare (null: the default). */
const splitsList = JSON.parse(env.VITE_BENCH_SPLITS ?? '[null]') as (number | null)[];

describe.skipIf(!env.VITE_BENCH)('conv2d speed (batch 100)', () => {
  it('reference network convolutions', async () => {
    const gpu = await testGpu();
    const r = new Prng(1);
    const kernels: [string, Encodable][] = [];
    const flops = new Map<string, number>();
    const buffers: GPUBuffer[] = [];
    for (const [name, s] of [['c1', conv1], ['c2', conv2]] as const) {
      const { OH, OW } = convOutSize(s);
      const f = 2 * s.N * s.K * OH * OW * s.C * s.FH * s.FW;
      const x = gpu.upload(r.floats(s.N * s.C * s.H * s.W), 'x');
      const w = gpu.upload(r.floats(s.K * s.C * s.FH * s.FW), 'w');
      const b = gpu.upload(r.floats(s.K), 'b');
      const y = gpu.upload(r.floats(s.N * s.K * OH * OW), 'y');
      const dx = gpu.storage(s.N * s.C * s.H * s.W * 4, 'dx');
      const dw = gpu.storage(s.K * s.C * s.FH * s.FW * 4, 'dw');
      const db = gpu.storage(s.K * 4, 'db');
      const pooled = gpu.storage(s.N * s.K * (OH / 2) * (OW / 2) * 4, 'pooled');
      const argmax = gpu.storage(s.N * s.K * (OH / 2) * (OW / 2) * 4, 'argmax');
      buffers.push(x, w, b, y, dx, dw, db, pooled, argmax);
      if (ops.includes(`${name}relu`)) {
        const out = gpu.storage(s.N * s.K * OH * OW * 4, 'relu out');
        buffers.push(out);
        kernels.push([`${name}relu`, await activation(gpu, { kind: 'relu', n: s.N * s.K * OH * OW, x: y, y: out })]);
        flops.set(`${name}relu`, 0);
      }
      if (ops.includes(`${name}pad`)) {
        // The zero-padded copy of dy that the stride-1 grad-input GEMM reads.
        const pad = await padInput(gpu, { x: y, N: s.N, C: s.K, H: OH, W: OW, OH: s.H, OW: s.W, FH: s.FH, FW: s.FW, S: 1, D: 1, PH: s.FH - 1 - s.PH, PW: s.FW - 1 - s.PW });
        buffers.push(...pad.scratch);
        if (pad.kernel) {
          kernels.push([`${name}pad`, pad.kernel]);
          flops.set(`${name}pad`, 0);
        }
      }
      for (const tile of tiles) {
        for (const variant of variants) {
          // [op, label suffix, make]
          const make: [string, string, () => Promise<Encodable>][] = [
            [`${name}f`, '', () => conv2dAnyVariant(gpu, { ...s, x, w, b, y, relu: true, tile, variant })],
            [`${name}fp`, '', () => conv2dAnyVariant(gpu, { ...s, x, w, b, y: pooled, relu: true, tile, variant, pool: { argmax } })],
            [`${name}gi`, '', () => conv2dGradInput(gpu, { ...s, dy: y, w, dx, tile, variant })],
            ...splitsList.map((splits): [string, string, () => Promise<Encodable>] => [`${name}gw`, splitsList.length > 1 ? ` splits=${splits}` : '', () => conv2dGradWeightAnyVariant(gpu, { ...s, x, dy: y, dw, db, tile, variant, splits: splits ?? undefined })]),
          ];
          for (const [op, suffix, mk] of make) {
            if (!ops.includes(op)) continue;
            const key = `${op} ${variant} tile=${JSON.stringify(tile)}${suffix}`;
            kernels.push([key, await mk()]);
            flops.set(key, f);
          }
        }
      }
    }
    const t = await timeInterleaved(gpu, kernels, rounds);
    for (const [key, { best, median }] of t) {
      console.log(`${key}: best ${best.toFixed(1)} ms (${(flops.get(key)! / best / 1e6).toFixed(2)} GFLOP/s), median ${median.toFixed(1)} ms`);
    }
    for (const [, k] of kernels) k.dispose();
    for (const buf of buffers) gpu.release(buf);
  });
});
