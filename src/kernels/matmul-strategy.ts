// Why: the one place that decides, from the adapter profile, which matmul kernel runs a product and how
// it is tiled: register tiles without workgroup memory for the software profile (matmul.wgsl,
// matmul-scalar.wgsl: fastest on SwiftShader), workgroup-memory tiles for hardware GPUs (matmul-tiled.wgsl).
import type { Gpu } from '../gpu';

export type MatmulVariant = 'tiled' | 'vec4' | 'scalar';

/** Whether matmul.wgsl (vec4 loads) can run this shape: every vec4-read row length a multiple of 4. */
export function matmulVec4Fits(a: { M: number; N: number; K: number; transA?: boolean }): boolean {
  return a.K % 4 === 0 && a.N % 4 === 0 && (!a.transA || a.M % 4 === 0);
}

/** The variant for a product: the one asked for, else 'tiled' on hardware, else vec4 where it fits. */
export function matmulVariant(gpu: Gpu, requested: MatmulVariant | undefined, a: { M: number; N: number; K: number; transA?: boolean }): MatmulVariant {
  if (requested) return requested;
  if (gpu.profile.kind === 'hardware') return 'tiled';
  return matmulVec4Fits(a) ? 'vec4' : 'scalar';
}

/**
 * Register tiles of 16×32 outputs per thread (TQ = 8) on the software profile: 1024³ measured 10–20%
 * faster on SwiftShader (interleaved runs) than 16×16, which the hardware profile's register-tile
 * kernels keep (more threads in flight).
 */
export const matmulWideTiles = (gpu: Gpu): boolean => gpu.profile.kind === 'software';

/** matmul-tiled: 16 × 8 threads (32 rows per workgroup) where M ≤ 32 or the adapter allows < 256 invocations, else 16 × 16. */
export function matmulTiledWGY(gpu: Gpu, M: number): number {
  return M <= 32 || gpu.limits.maxComputeInvocationsPerWorkgroup < 256 ? 8 : 16;
}
