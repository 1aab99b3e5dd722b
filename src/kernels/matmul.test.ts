import { describe, it } from 'vitest';
import { matmulRef, transposeRef } from '../reference/matmul';
import { expectClose, sumTolerance } from '../testing/allclose';
import { f32Buffer, PROFILES, runAndRead, testGpu } from '../testing/gpu';
import type { ProfileKind } from '../gpu';
import { Prng } from '../util/prng';
import { matmul, matmulVec4Fits } from './matmul';
import { matmulTiled } from './matmul-tiled';

// Tolerance: f32 accumulation of K products of values in [-1, 1], sumTolerance(K).

// M×N×K: trivial, odd everything, not multiples of the 8×16 tile, exact tiles, and the dense layer of
// the reference network (dx = dy[100,10]·W[10,3136] and y = x[100,3136]·Wᵀ).
const shapes: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [17, 33, 65],
  [64, 64, 64],
  [100, 3136, 10],
  [100, 10, 3136],
  [20, 36, 12],
];
const epilogues = [
  { bias: false, relu: false },
  { bias: true, relu: false },
  { bias: false, relu: true },
  { bias: true, relu: true },
];

// Both profiles run the table: the software one each register-tile variant, the hardware one its default
// (matmul-tiled.wgsl, workgroup-memory tiles), forced on SwiftShader.
describe.each(PROFILES)('matmul vs reference (%s profile)', (profile: ProfileKind) => {
  const hw = profile === 'hardware';
  for (const [M, N, K] of shapes) {
    for (const [t, [transA, transB]] of ([[false, false], [true, false], [false, true], [true, true]] as const).entries()) {
      for (const variant of hw ? ([undefined] as const) : (['vec4', 'scalar'] as const)) {
        if (variant === 'vec4' && !matmulVec4Fits({ M, N, K, transA })) continue;
        const epi = epilogues[(t + M) % 4]!;
        it(`${M}×${N}×${K} transA=${transA} transB=${transB} bias=${epi.bias} relu=${epi.relu} ${variant ?? 'default'}`, async () => {
          const gpu = await testGpu(profile);
          const r = new Prng(M * 1000 + N * 10 + K + t);
          const a = r.floats(M * K);
          const b = r.floats(K * N);
          const bias = r.floats(N);
          // Operands are generated as op(A) [M,K] and op(B) [K,N], then stored transposed when asked.
          const aStored = transA ? transposeRef(a, M, K) : a;
          const bStored = transB ? transposeRef(b, K, N) : b;
          const ab = f32Buffer(gpu, aStored);
          const bb = f32Buffer(gpu, bStored);
          const biasb = f32Buffer(gpu, bias);
          const cb = f32Buffer(gpu, new Float32Array(M * N).fill(7)); // overwritten, not accumulated into
          const k = await matmul(gpu, { a: ab, b: bb, c: cb, bias: epi.bias ? biasb : undefined, M, N, K, transA, transB, relu: epi.relu, variant });
          const got = await runAndRead(gpu, [k], cb, M * N);
          const want = matmulRef(a, b, { M, N, K, relu: epi.relu }, epi.bias ? bias : undefined);
          expectClose(got, want, { ...sumTolerance(K), label: `C ${M}×${N}×${K}` });
          k.dispose();
          for (const x of [ab, bb, biasb, cb]) gpu.release(x);
        });
      }
    }
  }

  it('small tiles and workgroups give the same product (tile overrides are honoured)', async () => {
    const gpu = await testGpu(profile);
    const [M, N, K] = [37, 44, 24];
    const r = new Prng(5);
    const a = r.floats(M * K);
    const b = r.floats(K * N);
    const ab = f32Buffer(gpu, a);
    const bb = f32Buffer(gpu, b);
    const cb = f32Buffer(gpu, new Float32Array(M * N));
    const want = matmulRef(a, b, { M, N, K });
    // TQ 5–8 (vec4 only): 44 columns are 11 quads, so rows of 12 quads (2 threads × 6) or 8 quads run past N.
    const tiles = [{ RG: 1, TQ: 1, WGX: 4, WGY: 2 }, { RG: 4, TQ: 2, WGX: 2, WGY: 8 }, { RG: 3, TQ: 1, WGX: 16, WGY: 4 }, { RG: 4, TQ: 4, WGX: 2, WGY: 2 }, { RG: 3, TQ: 3, WGX: 2, WGY: 1 }, { RG: 2, TQ: 6, WGX: 2, WGY: 2 }, { RG: 4, TQ: 8, WGX: 1, WGY: 2 }];
    if (hw) {
      // Both workgroup heights, each operand transposed or not (vec4 loads along K = 24, or along M = 37: scalar).
      for (const WGY of [8, 16]) {
        for (const [transA, transB] of [[false, false], [true, true]] as const) {
          const aS = f32Buffer(gpu, transA ? transposeRef(a, M, K) : a);
          const bS = f32Buffer(gpu, transB ? transposeRef(b, K, N) : b);
          const k = await matmulTiled(gpu, { a: aS, b: bS, c: cb, M, N, K, transA, transB, WGY });
          expectClose(await runAndRead(gpu, [k], cb, M * N), want, { ...sumTolerance(K), label: `tiled WGY ${WGY} ${transA} ${transB}` });
          k.dispose();
          gpu.release(aS);
          gpu.release(bS);
        }
      }
    }
    for (const tile of hw ? [] : tiles) {
      for (const variant of ['vec4', 'scalar'] as const) {
        if (variant === 'scalar' && ((tile.RG > 2 && tile.TQ > 2) || tile.TQ > 4)) continue;
        const k = await matmul(gpu, { a: ab, b: bb, c: cb, M, N, K, tile, variant });
        expectClose(await runAndRead(gpu, [k], cb, M * N), want, { ...sumTolerance(K), label: `${variant} ${JSON.stringify(tile)}` });
        k.dispose();
      }
    }
    for (const x of [ab, bb, cb]) gpu.release(x);
  });
});
