// Why: the one place that decides, from the adapter profile (gpu/adapter-profile.ts), which convolution
// kernels run and how they are tiled. Software adapters (SwiftShader, a CPU) get big register tiles
// without workgroup memory (conv2d-gemm, conv2d-rows); hardware GPUs get workgroup-memory implicit GEMMs
// (conv2d-igemm*) with 128–256-thread workgroups and 16 accumulators per thread.
import { KernelLimitError, type Gpu } from '../gpu';
import type { Conv2dShape, TileLimits } from './conv2d-shape';

/** 'igemm': conv2d-igemm*.wgsl (hardware); 'gemm': conv2d-gemm*.wgsl on a padded copy; 'direct': masks
 *  in the loop (training runs it for input gradients the GEMM does not fit; the direct forward and filter
 *  gradient are GPU references in src/testing/conv2d-direct.ts); 'rows': conv2d-rows*.wgsl, filter rows
 *  slid over the input in registers. */
export type ConvVariant = 'igemm' | 'gemm' | 'direct' | 'rows';
export type ConvPass = 'forward' | 'grad-input' | 'grad-weight';

/** Columns of an igemm workgroup's output block (16 threads × 4). */
export const IGEMM_TILE_COLS = 64;

/** Most input channels (of the convolution as computed) for which the rows kernel is the software default:
 *  above that the GEMM's 4-channel register tile is full and it wins (SwiftShader, batch 100: C = 2 rows
 *  116 ms vs GEMM 161 for the input gradient; C = 4 rows 153 vs 125). Kept because it pays over a whole
 *  step: LeNet-5 trains 18% faster with it, the reference network 8% (docs/PERFORMANCE.md). */
export const ROWS_MAX_CHANNELS = 2;

/** Where conv2d-rows applies: stride 1, no dilation, filters at most 5×5. */
export const rowsFit = (s: Conv2dShape): boolean => s.S === 1 && s.dilation === 1 && s.FH <= 5 && s.FW <= 5;

const software = (gpu: Gpu): boolean => gpu.profile.kind === 'software';

/**
 * Whether a convolution pass asked for `variant` runs the rows kernels: when asked, or by default on the
 * software profile with subgroups (for the filter gradient; one rule for all three passes keeps the
 * forward's padded copy, which only the GEMM gradient reads, consistent) where they fit and the layer has
 * at most ROWS_MAX_CHANNELS input channels. On a real GPU the rows kernels made LeNet-5 (5×5, C = 1) train
 * 17% slower on an NVIDIA H100 (Dawn), so the hardware profile never picks them.
 */
export const useRows = (gpu: Gpu, variant: string | undefined, s: Conv2dShape): boolean =>
  variant === 'rows' || (variant === undefined && software(gpu) && gpu.profile.subgroups && rowsFit(s) && s.C <= ROWS_MAX_CHANNELS);

/** The variant a pass runs: the one asked for, else the profile's default for this shape. */
export function convVariant(gpu: Gpu, pass: ConvPass, requested: ConvVariant | undefined, s: Conv2dShape): ConvVariant {
  if (requested) return requested;
  if (!software(gpu)) return 'igemm';
  if (useRows(gpu, undefined, s)) return 'rows';
  if (pass === 'grad-input') {
    const gemmFits = s.S === 1 && s.PH <= s.dilation * (s.FH - 1) && s.PW <= s.dilation * (s.FW - 1);
    return gemmFits ? 'gemm' : 'direct';
  }
  return 'gemm';
}

/**
 * Forward GEMM register tile (conv2d-gemm.wgsl): 8 pixel blocks per thread on the software profile, where
 * each loaded value then feeds more multiply-adds (SwiftShader, batch 100, interleaved runs: conv2 forward
 * 147 → 133 ms, with its pool 140 → 123, grad-input 145 → 109); 4 elsewhere.
 */
export const gemmTileFor = (gpu: Gpu): TileLimits => ({ quads: software(gpu) ? 8 : 4, maxQuads: 8, fitWidth: true });

/**
 * Filter-gradient GEMM register tile (conv2d-gemm-grad-weight.wgsl): 6 tap blocks per thread on the
 * software profile (the reference network's conv2 has 72 tap blocks: 12 threads of 6 with none idle;
 * SwiftShader, batch 100, interleaved: 157 vs 228 ms best, 215 vs 247 median); 4 elsewhere.
 */
export const gemmGradWeightTileFor = (gpu: Gpu): TileLimits => ({ quads: software(gpu) ? 6 : 4, maxQuads: 8, fitWidth: true });

/**
 * Threads the direct/GEMM/rows filter gradients want in flight across batch splits. A CPU adapter is busy
 * with few, and each extra split costs a partial sum written and added up: 13 splits instead of 50 made
 * the reference network's conv2 filter gradient 5% faster on SwiftShader (141 vs 148 ms).
 */
export const gradWeightTargetThreads = (gpu: Gpu): number => (software(gpu) ? 1024 : 4096);

/** conv2d-rows-grad-weight: quads share input windows by subgroup broadcast on the software profile,
 *  where a quad is one SIMD group and a broadcast costs less than the load it saves. */
export const rowsShareWindows = (gpu: Gpu): boolean => software(gpu);

/**
 * Threads per igemm workgroup row count: 16 × 16 = 256 (64 output rows per workgroup), or 16 × 8 = 128
 * where the GEMM has ≤ 32 rows (conv1's 32 filters would leave half of a 64-row block idle) or the
 * adapter allows fewer than 256 invocations.
 */
export function igemmWGY(gpu: Gpu, rows: number): number {
  const max = gpu.limits.maxComputeInvocationsPerWorkgroup;
  if (max < 128) throw new KernelLimitError(`conv2d-igemm: needs 128 invocations per workgroup, this adapter allows ${max} (maxComputeInvocationsPerWorkgroup)`);
  return rows <= 32 || max < 256 ? 8 : 16;
}

/** Workgroups a filter gradient's dispatch should have in flight (about 2 per SM of a large GPU). */
const IGEMM_TARGET_WORKGROUPS = 256;

/** Batch splits of the igemm filter gradient: enough to give the GPU its workgroups, at most N. */
export function igemmGradWeightSplits(gpu: Gpu, tileGroups: number, N: number): number {
  const target = software(gpu) ? 16 : IGEMM_TARGET_WORKGROUPS;
  return Math.max(1, Math.min(N, Math.ceil(target / tileGroups)));
}
