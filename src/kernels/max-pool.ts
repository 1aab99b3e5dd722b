// Why: max pooling forward. Records the argmax (a flat u32 index into x) so the backward pass routes
// dy without recomputing the window maxima. Also home of PoolShape, the sizes every pool kernel takes.
import source from '../../shaders/max-pool.wgsl?raw';
import { defineKernel, splitGrid, type BoundKernel, type Gpu, type ParamsValues, type BufferBinding } from '../gpu';

/**
 * NCHW input [N, C, H, W], FH×FW window, stride S, padding P on every side, output [N, C, OH, OW].
 * OH/OW are explicit (normally floor((H + 2P − F)/S) + 1; smaller is allowed, larger is refused).
 */
export interface PoolShape {
  N: number;
  C: number;
  H: number;
  W: number;
  FH: number;
  FW: number;
  S: number;
  P: number;
  OH: number;
  OW: number;
}

/** The uniform layout every windowed pool kernel shares (the WGSL `struct Params`). */
export const poolParams = {
  N: 'u32', C: 'u32', H: 'u32', W: 'u32', FH: 'u32', FW: 'u32', S: 'u32', P: 'u32', OH: 'u32', OW: 'u32',
} as const;

/** Thrown for a pool shape the kernels cannot compute (names the kernel and the reason). */
export class PoolShapeError extends Error {
  override name = 'PoolShapeError';
}

/**
 * Refuses shapes the kernels' index arithmetic does not cover: windows lying wholly in the padding
 * (2P > min(FH, FW), as PyTorch refuses), windows past the padded input (OH/OW too large), flat indices
 * beyond i32.
 */
export function checkPoolShape(kernel: string, s: PoolShape): void {
  for (const [k, v] of Object.entries(pick(s))) {
    if (!Number.isInteger(v) || v < 0) throw new PoolShapeError(`${kernel}: ${k} must be a non-negative integer, got ${v}`);
  }
  for (const k of ['N', 'C', 'H', 'W', 'FH', 'FW', 'S', 'OH', 'OW'] as const) {
    if (s[k] < 1) throw new PoolShapeError(`${kernel}: ${k} must be ≥ 1, got ${s[k]}`);
  }
  if (2 * s.P > Math.min(s.FH, s.FW)) throw new PoolShapeError(`${kernel}: padding P = ${s.P} exceeds half the window ${s.FH}×${s.FW}`);
  const maxOH = Math.floor((s.H + 2 * s.P - s.FH) / s.S) + 1;
  const maxOW = Math.floor((s.W + 2 * s.P - s.FW) / s.S) + 1;
  if (s.OH > maxOH || s.OW > maxOW) {
    throw new PoolShapeError(`${kernel}: output ${s.OH}×${s.OW} exceeds floor((H + 2P − F)/S) + 1 = ${maxOH}×${maxOW}`);
  }
  if (s.N * s.C * s.H * s.W >= 2 ** 31) throw new PoolShapeError(`${kernel}: input of ${s.N * s.C * s.H * s.W} elements exceeds 2^31`);
}

/**
 * Elements per thread along a row of `len`: at most `max`, split evenly (14 → 7, 28 → 7, 13 → 7), so no
 * thread idles through a short tail while its SIMD neighbours finish a long one. It is an override, so each
 * distinct value is its own pipeline (few per network).
 */
export function perThread(len: number, max = 8): number {
  return Math.ceil(len / Math.ceil(len / max));
}

/** Workgroups for `rows` rows of `len` elements, `per` elements per thread, WG threads per group. */
export function rowGrid(rows: number, len: number, per: number, wg: number): [number, number, number] {
  return splitGrid(Math.ceil((rows * Math.ceil(len / per)) / wg));
}

export const maxPoolSpec = defineKernel({
  name: 'max-pool',
  source,
  params: poolParams,
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'y', access: 'read_write' },
    { name: 'argmax', access: 'read_write' },
  ],
  overrides: { WG: 64, OX: 7, WIN2: 0 },
  workgroupSize: (o) => [o.WG, 1, 1],
});

/** y = max over each window of x, argmax = flat index into x of the first maximum (row-major). */
export async function maxPool(gpu: Gpu, a: PoolShape & { x: BufferBinding; y: BufferBinding; argmax: BufferBinding }): Promise<BoundKernel> {
  checkPoolShape(maxPoolSpec.name, a);
  const win2 = a.FH === 2 && a.FW === 2 && a.S === 2 && a.P === 0;
  const p = await gpu.prepare(maxPoolSpec, { OX: perThread(a.OW), WIN2: win2 ? 1 : 0 });
  const { WG, OX } = p.overrides;
  return gpu.bind(p, pick(a), [a.x, a.y, a.argmax], rowGrid(a.N * a.C * a.OH, a.OW, OX!, WG!));
}

/** The PoolShape fields of an argument object (the uniform values). */
export function pick(s: PoolShape): ParamsValues<typeof poolParams> {
  return { N: s.N, C: s.C, H: s.H, W: s.W, FH: s.FH, FW: s.FW, S: s.S, P: s.P, OH: s.OH, OW: s.OW };
}
