// Why: dense layers (forward, grad-input, grad-weight) are matrix products with optional transposes and
// a fused bias + ReLU epilogue. Three WGSL variants compute the same thing: matmul.wgsl reads vec4 and
// needs multiples of 4, matmul-scalar.wgsl takes any shape (both register tiles, for the software
// profile), matmul-tiled.wgsl stages tiles in workgroup memory (hardware); matmul-strategy.ts picks.
import vec4Source from '../../shaders/matmul.wgsl?raw';
import scalarSource from '../../shaders/matmul-scalar.wgsl?raw';
import { defineKernel, KernelLimitError, type BoundKernel, type Gpu, type BufferBinding } from '../gpu';
import { matmulTiled } from './matmul-tiled';
import { matmulVariant, matmulVec4Fits, matmulWideTiles, type MatmulVariant } from './matmul-strategy';

export { matmulVec4Fits } from './matmul-strategy';

const params = { M: 'u32', N: 'u32', K: 'u32' } as const;
const bindings = [
  { name: 'a', access: 'read' },
  { name: 'b', access: 'read' },
  { name: 'bias', access: 'read' },
  { name: 'c', access: 'read_write' },
] as const;

/**
 * Register tile per thread: RG blocks of 4 rows × TQ quads of 4 columns (RG in 1–4, TQ in 1–8 for the
 * vec4 variant, 1–4 for the scalar one), and the workgroup (WGX × WGY threads).
 */
export interface MatmulTile {
  RG: number;
  TQ: number;
  WGX: number;
  WGY: number;
}

export const matmulSpec = defineKernel({
  name: 'matmul',
  source: vec4Source,
  params,
  bindings,
  overrides: { TRANS_A: 0, TRANS_B: 0, HAS_BIAS: 0, RELU: 0, RG: 4, TQ: 4, WGX: 8, WGY: 8 },
  workgroupSize: (o) => [o.WGX, o.WGY, 1],
  accumulators: (o) => 16 * o.RG * o.TQ,
});

export const matmulScalarSpec = defineKernel({
  name: 'matmul-scalar',
  source: scalarSource,
  params,
  bindings,
  overrides: { TRANS_A: 0, TRANS_B: 0, HAS_BIAS: 0, RELU: 0, RG: 2, TQ: 4, WGX: 8, WGY: 8 },
  workgroupSize: (o) => [o.WGX, o.WGY, 1],
  accumulators: (o) => 16 * o.RG * o.TQ,
});

export interface MatmulArgs {
  /** op(A) is [M,K]: A stored [M,K], or [K,M] when transA. */
  a: BufferBinding;
  /** op(B) is [K,N]: B stored [K,N], or [N,K] when transB. */
  b: BufferBinding;
  /** Output [M,N], overwritten. */
  c: BufferBinding;
  /** Optional [N], added to every row. */
  bias?: BufferBinding;
  M: number;
  N: number;
  K: number;
  transA?: boolean;
  transB?: boolean;
  relu?: boolean;
  /** Tiling override (benchmarks, tuning); defaults per variant. */
  tile?: Partial<MatmulTile>;
  /** Force a variant (tests); by default 'tiled' on the hardware profile, else vec4 whenever the shape allows it. */
  variant?: MatmulVariant;
}

/** matmul.wgsl writes out accumulators for RG ≤ 4 × TQ ≤ 8; matmul-scalar.wgsl for RG ≤ 2 × TQ ≤ 4 and RG ≤ 4 × TQ ≤ 2. */
export function checkMatmulTile(name: string, t: MatmulTile): void {
  const vec4 = name === matmulSpec.name;
  const inRange = (v: number, max: number) => Number.isInteger(v) && v >= 1 && v <= max;
  const ok = inRange(t.RG, 4) && inRange(t.TQ, vec4 ? 8 : 4) && (vec4 || t.RG <= 2 || t.TQ <= 2);
  if (!ok) throw new KernelLimitError(`${name}: register tile of ${t.RG}×${t.TQ} 4×4 blocks not written out (${vec4 ? 'RG in 1–4, TQ in 1–8' : 'RG, TQ in 1–4; RG > 2 needs TQ ≤ 2'})`);
}

/** Workgroups wanted at least: enough to keep every core of a CPU adapter busy. */
const MIN_WORKGROUPS = 4;
/** Workgroup widths, nearest a square workgroup first (ties go to the square: 8×8). */
const WIDTHS_SQUARE_FIRST = [8, 4, 16, 2, 32, 1, 64];

/**
 * The default tiling for an M×N output: the candidate with the least estimated work, counting the rows
 * and columns computed past the ends of M and N (a dense layer with 10 outputs on a 128-column tile
 * wastes 92%), the loads per FMA of the register tile (a 4×4 block per thread loads 16·(RG + TQ) values
 * for 64·RG·TQ FMAs per 4 reduction steps; a load costs about 4 FMAs on a CPU adapter), and too few
 * workgroups to fill the cores. Large products get 16×16 outputs per thread on 8×8 threads, or 16×32
 * where `wide` (software adapters: 1024³ measured 10–20% faster on SwiftShader, interleaved runs; a real
 * GPU keeps the smaller tile and more threads in flight).
 */
export function matmulTileFor(name: string, M: number, N: number, wide = false): MatmulTile {
  let best: MatmulTile | undefined;
  let bestCost = Infinity;
  for (const RG of [4, 2, 1]) {
    for (const TQ of wide && name === matmulSpec.name ? [8, 4, 2, 1] : [4, 2, 1]) {
      if (name !== matmulSpec.name && RG > 2 && TQ > 2) continue;
      for (const threads of [64, 32, 16]) {
        for (const WGX of WIDTHS_SQUARE_FIRST.filter((w) => w <= threads)) {
          const WGY = threads / WGX;
          const [rowsPerGroup, colsPerGroup] = [4 * RG * WGY, 4 * TQ * WGX];
          const groups = Math.ceil(M / rowsPerGroup) * Math.ceil(N / colsPerGroup);
          const computed = groups * rowsPerGroup * colsPerGroup;
          const perElement = 4 + (4 * (RG + TQ)) / (RG * TQ);
          const cost = computed * perElement * Math.max(1, MIN_WORKGROUPS / groups);
          if (cost < bestCost * 0.999) [best, bestCost] = [{ RG, TQ, WGX, WGY }, cost];
        }
      }
    }
  }
  return best!;
}

/** C = op(A)·op(B) (+ bias) (then ReLU). */
export async function matmul(gpu: Gpu, a: MatmulArgs): Promise<BoundKernel> {
  const { M, N, K } = a;
  if (M < 1 || N < 1 || K < 1) throw new Error(`matmul: empty product ${M}×${N}×${K}`);
  const variant = matmulVariant(gpu, a.variant, a);
  if (variant === 'tiled') return matmulTiled(gpu, a);
  const vec4 = variant === 'vec4';
  if (vec4 && !matmulVec4Fits(a)) throw new Error(`matmul: vec4 variant needs K, N${a.transA ? ', M' : ''} multiples of 4 (got M=${M} N=${N} K=${K})`);
  const spec = vec4 ? matmulSpec : matmulScalarSpec;
  const tile: MatmulTile = { ...matmulTileFor(spec.name, M, N, matmulWideTiles(gpu)), ...a.tile };
  checkMatmulTile(spec.name, tile);
  const flags = { TRANS_A: a.transA ? 1 : 0, TRANS_B: a.transB ? 1 : 0, HAS_BIAS: a.bias ? 1 : 0, RELU: a.relu ? 1 : 0 };
  const p = await gpu.prepare(spec, { ...flags, ...tile });
  const groups: [number, number, number] = [Math.ceil(N / (4 * tile.TQ * tile.WGX)), Math.ceil(M / (4 * tile.RG * tile.WGY)), 1];
  return gpu.bind(p, { M, N, K }, [a.a, a.b, a.bias ?? a.a, a.c], groups);
}
