import { describe, it } from 'vitest';
import { conv2dGradInputRef, conv2dGradWeightRef, conv2dRef } from '../reference/conv2d';
import { maxPoolGradRef, maxPoolRef } from '../reference/pool';
import { expectClose, sumTolerance } from '../testing/allclose';
import { f32Buffer, PROFILES, runAndRead, testGpu } from '../testing/gpu';
import type { Encodable, Gpu, ProfileKind } from '../gpu';
import { Prng } from '../util/prng';
import { conv2d, convOutSize, type Conv2dArgs, type Conv2dShape } from './conv2d';
import { conv2dGradInput, type Conv2dGradInputArgs } from './conv2d-grad-input';
import { conv2dAnyVariant, conv2dGradWeightAnyVariant } from '../testing/conv2d-direct';
import type { ConvVariant } from './conv2d-strategy';
import { conv2dIgemm, conv2dIgemmGradInput, conv2dIgemmGradWeight } from './conv2d-igemm';
import { conv2dRows, rowsFit } from './conv2d-rows';

// f32 sums of `len` products of values in [-1, 1]: sumTolerance(len), len = C·FH·FW forward, K·FH·FW
// grad-input, N·OH·OW grad-weight.

const gemmGradInputFits = (s: Conv2dShape) => s.S === 1 && s.PH <= s.dilation * (s.FH - 1) && s.PW <= s.dilation * (s.FW - 1);

const base: Conv2dShape = { N: 2, C: 1, H: 8, W: 8, K: 4, FH: 3, FW: 3, S: 1, PH: 0, PW: 0, dilation: 1 };
export const convCases: (Conv2dShape & { label: string })[] = [
  { ...base, N: 1, C: 1, H: 7, W: 9, K: 5, PH: 1, PW: 1, label: 'batch 1, C=1, odd K, pad 1' },
  { ...base, C: 3, H: 5, W: 6, K: 4, FH: 1, FW: 1, label: '1×1 kernel' },
  { ...base, C: 2, H: 9, W: 8, K: 3, S: 2, PH: 1, PW: 1, label: 'stride 2, pad 1' },
  { ...base, C: 2, H: 11, W: 10, K: 6, FH: 4, FW: 4, S: 2, label: 'F > S (overlapping windows)' },
  { ...base, C: 3, H: 7, W: 9, K: 5, FH: 3, FW: 1, PH: 1, PW: 0, label: 'FH ≠ FW (3×1)' },
  { ...base, C: 2, H: 6, W: 11, K: 3, FH: 2, FW: 5, S: 3, PH: 0, PW: 2, label: 'FH ≠ FW (2×5), stride 3, pad W' },
  { ...base, C: 2, H: 10, W: 9, K: 4, dilation: 2, PH: 2, PW: 1, label: 'dilation 2' },
  { ...base, C: 2, H: 5, W: 5, K: 3, FH: 5, FW: 5, label: 'output that just fits (1×1)' },
  { ...base, C: 3, H: 9, W: 9, K: 4, FH: 3, FW: 3, S: 3, label: 'stride = F, exact fit' },
  { ...base, N: 3, C: 6, H: 13, W: 13, K: 17, PH: 1, PW: 1, label: 'sizes not multiples of tiles' },
  { ...base, N: 1, C: 20, H: 6, W: 5, K: 20, FH: 2, FW: 2, S: 1, PH: 1, PW: 1, label: 'C, K = 20 (partial blocks)' },
  { ...base, N: 1, C: 2, H: 5, W: 6, K: 3, FH: 2, FW: 4, PH: 2, PW: 3, label: 'padding ≥ filter size (2×4, P 2,3)' },
  { ...base, N: 2, C: 1, H: 10, W: 6, K: 5, PH: 1, PW: 1, label: 'C=1, 10×6 output (blocks cut at the edge)' },
  { ...base, N: 2, C: 3, H: 7, W: 6, K: 1, PH: 1, PW: 2, label: 'one filter (K=1): grad-input from one channel' },
  { ...base, N: 2, C: 2, H: 6, W: 8, K: 3, FH: 3, FW: 5, PH: 1, PW: 2, label: 'rows read as vec4 (W = 8), 3×5, P 1,2' },
  { ...base, N: 1, C: 1, H: 5, W: 12, K: 3, FH: 2, FW: 2, label: 'rows read as vec4 (W = 12), 2×2, no padding' },
  { ...base, N: 1, C: 2, H: 3, W: 5, K: 2, FH: 2, FW: 2, PH: 1, PW: 2, label: 'padding > filter − 1 (gradient read as vec4 from column 1)' },
  { ...base, N: 1, C: 1, H: 9, W: 36, K: 2, PH: 1, PW: 1, label: 'wide rows (36): grad-input spans of 32 columns' },
  { ...base, N: 2, C: 1, H: 9, W: 10, K: 16, FH: 5, FW: 5, PH: 2, PW: 2, label: '16 filters 5×5 (rows filter gradient: quads share 8-wide windows)' },
  { ...base, N: 1, C: 2, H: 6, W: 7, K: 24, FH: 1, FW: 1, label: '1×1, 24 filters (rows filter gradient: 4 blocks of 6, 1-wide windows)' },
  { ...base, N: 2, C: 1, H: 28, W: 28, K: 32, PH: 1, PW: 1, label: 'network conv1: 3×3 1→32 P1 on 28×28' },
  { ...base, N: 2, C: 32, H: 14, W: 14, K: 64, PH: 1, PW: 1, label: 'network conv2: 3×3 32→64 P1 on 14×14' },
];

// Both kernel families run every table: the software profile's register-tile kernels (each variant named,
// and the default), and the hardware profile's workgroup-tiled implicit GEMMs (its default), forced here
// on SwiftShader.
describe.each(PROFILES)('conv2d kernels vs reference (%s profile)', (profile: ProfileKind) => {
  const testGpu_ = () => testGpu(profile);
  const hw = profile === 'hardware';
  for (const [i, s] of convCases.entries()) {
    const bias = i % 2 === 0;
    const relu = i % 3 === 1;
    it(`${s.label}: forward (bias=${bias}, relu=${relu}), grad-input, grad-weight (db=${!bias})`, async () => {
      const gpu = await testGpu_();
      const r = new Prng(100 + i);
      const { OH, OW } = convOutSize(s);
      const nx = s.N * s.C * s.H * s.W;
      const nw = s.K * s.C * s.FH * s.FW;
      const ny = s.N * s.K * OH * OW;
      const x = r.floats(nx);
      const w = r.floats(nw);
      const b = r.floats(s.K);
      const dy = r.floats(ny);
      const garbage = (n: number) => f32Buffer(gpu, new Float32Array(n).fill(3)); // outputs are overwritten
      const [xb, wb, bb, dyb] = [x, w, b, dy].map((d) => f32Buffer(gpu, d));
      const [yb, dxb, dwb, dbb] = [ny, nx, nw, s.K].map(garbage);

      const wantY = conv2dRef(x, w, s, bias ? b : undefined, relu);
      const wantDx = conv2dGradInputRef(dy, w, s);
      // forward: every variant that takes this shape (rows: also with 1 and 3 output channels per thread).
      const rows: [ConvVariant | undefined, number?][] = [['rows'], ['rows', 1], ['rows', 3]];
      const fwdVariants: [ConvVariant | undefined, number?][] = hw ? [[undefined]] : [['gemm'], ['direct'], ...(rowsFit(s) ? rows : [])];
      for (const [variant, kb] of fwdVariants) {
        const fwd = variant === 'rows' && kb
          ? await conv2dRows(gpu, { ...s, mode: 'forward', x: xb!, w: wb!, b: bias ? bb : undefined, y: yb!, relu, kb, OH, OW })
          : await conv2dAnyVariant(gpu, { ...s, x: xb!, w: wb!, b: bias ? bb : undefined, y: yb!, relu, variant });
        expectClose(await runAndRead(gpu, [fwd], yb!, ny), wantY, { ...sumTolerance(s.C * s.FH * s.FW), label: `y ${variant} ${kb ?? ''}` });
        fwd.dispose();
        gpu.clear(yb!);
      }
      // grad-input: every variant that takes this shape, and the default choice.
      const giVariants: (Conv2dGradInputArgs['variant'])[] = hw ? [undefined] : [undefined, 'direct', ...(gemmGradInputFits(s) ? ['gemm' as const] : []), ...(rowsFit(s) ? ['rows' as const] : [])];
      for (const variant of giVariants) {
        const gi = await conv2dGradInput(gpu, { ...s, dy: dyb!, w: wb!, dx: dxb!, variant });
        expectClose(await runAndRead(gpu, [gi], dxb!, nx), wantDx, { ...sumTolerance(s.K * s.FH * s.FW), label: `dx ${variant ?? 'default'}` });
        gi.dispose();
        gpu.clear(dxb!);
      }

      const want = conv2dGradWeightRef(x, dy, s);
      const t = sumTolerance(s.N * OH * OW);
      const gwVariants: (ConvVariant | undefined)[] = hw ? [undefined] : ['gemm', 'direct', ...(rowsFit(s) ? ['rows' as const] : [])];
      for (const variant of gwVariants) {
        const gw = await conv2dGradWeightAnyVariant(gpu, { ...s, x: xb!, dy: dyb!, dw: dwb!, db: bias ? undefined : dbb, variant });
        expectClose(await runAndRead(gpu, [gw], dwb!, nw), want.dw, { ...t, label: `dw ${variant}` });
        if (!bias) expectClose(await gpu.readF32(dbb!, s.K), want.db, { ...t, label: `db ${variant}` });
        gw.dispose();
        gpu.clear(dwb!);
        gpu.clear(dbb!);
      }

      for (const buf of [xb, wb, bb, dyb, yb, dxb, dwb, dbb]) gpu.release(buf!);
    });
  }

  // The forward GEMM with a 2×2 stride-2 max-pool in its epilogue: pooled y against the reference conv
  // then max-pool; each argmax must point inside its window at a value equal to the window's maximum
  // (which of two equal values wins is the backward's business only through the ReLU mask, where both are 0).
  const evenCases = convCases.filter((s) => convOutSize(s).OH % 2 === 0 && convOutSize(s).OW % 2 === 0);
  for (const [i, s] of evenCases.entries()) {
    const { OH, OW } = convOutSize(s);
    type PooledArgs = Conv2dArgs & { pool: { argmax: GPUBuffer } };
    type Pass = [string, (gpu: Gpu, a: PooledArgs) => Promise<Encodable>];
    const rowsPasses: Pass[] = [
      ['rows', (gpu, a) => conv2d(gpu, { ...a, variant: 'rows' })],
      ['rows, 3 channels per thread', (gpu, a) => conv2dRows(gpu, { ...a, mode: 'forward', kb: 3, OH, OW })],
    ];
    const hwPasses: Pass[] = [
      ['default (igemm)', (gpu, a) => conv2d(gpu, a)],
      ['igemm, 256 threads', (gpu, a) => conv2dIgemm(gpu, { ...a, WGY: 16 })],
    ];
    const passes: Pass[] = hw ? hwPasses : [
      ['gemm', (gpu, a) => conv2d(gpu, { ...a, variant: 'gemm' })],
      ['gemm, small tile', (gpu, a) => conv2d(gpu, { ...a, variant: 'gemm', tile: { blocks: 1, quads: 3, WGX: 2, WGY: 2 } })],
      // 4 pixel blocks per thread: the default on a real GPU (8 on SwiftShader); 6: blocks e, f switched on.
      ['gemm, 4 pixel blocks', (gpu, a) => conv2d(gpu, { ...a, variant: 'gemm', tile: { quads: 4 } })],
      ['gemm, 6 pixel blocks', (gpu, a) => conv2d(gpu, { ...a, variant: 'gemm', tile: { blocks: 2, quads: 6, WGX: 2, WGY: 2 } })],
      ...(rowsFit(s) ? rowsPasses : []),
    ];
    for (const [pass, make] of passes) {
      const bias = i % 2 === 1;
      const relu = i % 3 !== 2;
      it(`${s.label}: forward with fused max-pool (bias=${bias}, relu=${relu}, ${pass})`, async () => {
        const gpu = await testGpu_();
        const r = new Prng(500 + i);
        const pool = { N: s.N, C: s.K, H: OH, W: OW, FH: 2, FW: 2, S: 2, P: 0, OH: OH / 2, OW: OW / 2 };
        const np = s.N * s.K * pool.OH * pool.OW;
        const [x, w, b] = [r.floats(s.N * s.C * s.H * s.W), r.floats(s.K * s.C * s.FH * s.FW), r.floats(s.K)];
        const [xb, wb, bb] = [x, w, b].map((d) => f32Buffer(gpu, d));
        const yb = f32Buffer(gpu, new Float32Array(np).fill(3));
        const ab = gpu.upload(new Uint32Array(np).fill(0xffffffff), 'argmax');
        const unpooled = conv2dRef(x, w, s, bias ? b : undefined, relu);
        const want = maxPoolRef(unpooled, pool);
        const k = await make(gpu, { ...s, x: xb!, w: wb!, b: bias ? bb : undefined, y: yb, relu, pool: { argmax: ab } });
        const t = sumTolerance(s.C * s.FH * s.FW);
        expectClose(await runAndRead(gpu, [k], yb, np), want.y, { ...t, label: 'pooled y' });
        const got = await gpu.readU32(ab, np);
        for (let o = 0; o < np; o++) {
          const [at, wantAt] = [got[o]!, want.argmax[o]!];
          // Same plane, same window (window origin = the reference winner's 2×2 cell).
          const cell = (j: number) => [Math.floor(j / (OH * OW)), Math.floor((j % (OH * OW)) / OW / 2), Math.floor((j % OW) / 2)].join(',');
          if (cell(at) !== cell(wantAt) || Math.abs(unpooled[at]! - want.y[o]!) > t.atol + t.rtol * Math.abs(want.y[o]!)) {
            throw new Error(`argmax[${o}] = ${at} (value ${unpooled[at]}), reference ${wantAt} (value ${want.y[o]})`);
          }
        }
        k.dispose();
        for (const buf of [xb, wb, bb, yb, ab]) gpu.release(buf!);
      });
    }
  }

  it('grad-weight gives the same result for every batch split and tile', async () => {
    if (hw) return; // the igemm splits: 'gradients read through a fused pool' below
    const gpu = await testGpu_();
    const s: Conv2dShape = { ...base, N: 5, C: 3, H: 7, W: 6, K: 9, PH: 1, PW: 0, S: 1 };
    const { OH, OW } = convOutSize(s);
    const r = new Prng(9);
    const x = r.floats(s.N * s.C * s.H * s.W);
    const dy = r.floats(s.N * s.K * OH * OW);
    const want = conv2dGradWeightRef(x, dy, s);
    const xb = f32Buffer(gpu, x);
    const dyb = f32Buffer(gpu, dy);
    const nw = s.K * s.C * s.FH * s.FW;
    const dwb = f32Buffer(gpu, new Float32Array(nw));
    const dbb = f32Buffer(gpu, new Float32Array(s.K));
    for (const splits of [1, 2, 5]) {
      // 7 tap blocks (the GEMM only): all 27 taps (7 blocks, the last cut at the edge) in one thread, blocks e–g on.
      for (const tile of [{ blocks: 1, quads: 1, WGX: 4, WGY: 2 }, { blocks: 3, quads: 2 }, { blocks: 2, quads: 7, WGX: 1, WGY: 2 }, {}]) {
        for (const variant of tile.quads === 7 ? (['gemm'] as const) : (['gemm', 'direct', 'rows'] as const)) {
        const gw = await conv2dGradWeightAnyVariant(gpu, { ...s, x: xb, dy: dyb, dw: dwb, db: dbb, splits, tile, variant });
        const label = `${variant} splits=${splits} tile=${JSON.stringify(tile)}`;
        expectClose(await runAndRead(gpu, [gw], dwb, nw), want.dw, { ...sumTolerance(s.N * OH * OW), label: `dw ${label}` });
        expectClose(await gpu.readF32(dbb, s.K), want.db, { ...sumTolerance(s.N * OH * OW), label: `db ${label}` });
        gw.dispose();
        }
      }
    }
    for (const buf of [xb, dyb, dwb, dbb]) gpu.release(buf);
  });

  // The hardware gradient passes read g through the forward's fused 2×2 max-pool (argmax) and the ReLU's
  // mask (y > 0, pooled) or the ReLU's mask alone: against the reference max-pool backward then conv
  // backward, for every even case, several batch splits and both workgroup heights.
  if (hw) {
    for (const [i, s] of evenCases.entries()) {
      for (const mode of ['pool+relu', 'pool', 'relu'] as const) {
        it(`${s.label}: igemm gradients read through ${mode}`, async () => {
          const gpu = await testGpu_();
          const { OH, OW } = convOutSize(s);
          const r = new Prng(900 + i);
          const pooled = mode !== 'relu';
          const relu = mode !== 'pool';
          const pd = { N: s.N, C: s.K, H: OH, W: OW, FH: 2, FW: 2, S: 2, P: 0, OH: OH / 2, OW: OW / 2 };
          const [x, w] = [r.floats(s.N * s.C * s.H * s.W), r.floats(s.K * s.C * s.FH * s.FW)];
          const unpooled = conv2dRef(x, w, s, undefined, relu);
          const ref = maxPoolRef(unpooled, pd);
          const yOut = pooled ? ref.y : unpooled;
          const dy = r.floats(yOut.length);
          // g: the pool's backward (through the reference argmax), then the ReLU's mask.
          const g = pooled ? maxPoolGradRef(dy, ref.argmax, pd) : Float64Array.from(dy);
          if (relu) for (let j = 0; j < g.length; j++) if (!(unpooled[j]! > 0)) g[j] = 0;
          const [xb, wb, dyb, yb] = [x, w, dy, yOut].map((d) => f32Buffer(gpu, d));
          const ab = gpu.upload(Uint32Array.from(ref.argmax), 'argmax');
          const route = { pool: pooled ? { argmax: ab } : undefined, reluY: relu ? yb : undefined };
          const nx = s.N * s.C * s.H * s.W;
          const nw = s.K * s.C * s.FH * s.FW;
          const [dxb, dwb, dbb] = [nx, nw, s.K].map((n) => f32Buffer(gpu, new Float32Array(n).fill(3)));
          for (const WGY of [8, 16]) {
            const gi = await conv2dIgemmGradInput(gpu, { ...s, ...route, dy: dyb!, w: wb!, dx: dxb!, WGY });
            expectClose(await runAndRead(gpu, [gi], dxb!, nx), conv2dGradInputRef(g, w, s), { ...sumTolerance(s.K * s.FH * s.FW), label: `dx WGY ${WGY}` });
            gi.dispose();
            const want = conv2dGradWeightRef(x, g, s);
            for (const splits of [1, 2, s.N]) {
              const gw = await conv2dIgemmGradWeight(gpu, { ...s, ...route, x: xb!, dy: dyb!, dw: dwb!, db: dbb, splits, WGY });
              const t = sumTolerance(s.N * OH * OW);
              expectClose(await runAndRead(gpu, [gw], dwb!, nw), want.dw, { ...t, label: `dw WGY ${WGY} splits ${splits}` });
              expectClose(await gpu.readF32(dbb!, s.K), want.db, { ...t, label: `db WGY ${WGY} splits ${splits}` });
              gw.dispose();
            }
          }
          for (const buf of [xb, wb, dyb, yb, ab, dxb, dwb, dbb]) gpu.release(buf!);
        });
      }
    }
  }
});
