// Why: dense layers (forward, grad-input, grad-weight) are matrix products with optional transposes and
// a fused bias + ReLU epilogue. Two WGSL variants compute the same thing: matmul.wgsl reads vec4 and
// needs multiples of 4, matmul-scalar.wgsl takes any shape; matmul() picks by shape.
import vec4Source from '../../shaders/matmul.wgsl?raw';
import scalarSource from '../../shaders/matmul-scalar.wgsl?raw';
import { defineKernel, KernelLimitError, type BoundKernel, type Gpu } from '../gpu';

const params = { M: 'u32', N: 'u32', K: 'u32' } as const;
const bindings = [
  { name: 'a', access: 'read' },
  { name: 'b', access: 'read' },
  { name: 'bias', access: 'read' },
  { name: 'c', access: 'read_write' },
] as const;

/** Register tile (TM rows × TN columns per thread) and workgroup (WGX × WGY threads). */
export interface MatmulTile {
  TM: number;
  TN: number;
  WGX: number;
  WGY: number;
}

export const matmulSpec = defineKernel({
  name: 'matmul',
  source: vec4Source,
  params,
  bindings,
  overrides: { TRANS_A: 0, TRANS_B: 0, HAS_BIAS: 0, RELU: 0, TM: 8, TN: 16, WGX: 8, WGY: 8 },
  workgroupSize: (o) => [o.WGX, o.WGY, 1],
});

export const matmulScalarSpec = defineKernel({
  name: 'matmul-scalar',
  source: scalarSource,
  params,
  bindings,
  overrides: { TRANS_A: 0, TRANS_B: 0, HAS_BIAS: 0, RELU: 0, TM: 4, TN: 8, WGX: 8, WGY: 8 },
  workgroupSize: (o) => [o.WGX, o.WGY, 1],
});

export interface MatmulArgs {
  /** op(A) is [M,K]: A stored [M,K], or [K,M] when transA. */
  a: GPUBuffer;
  /** op(B) is [K,N]: B stored [K,N], or [N,K] when transB. */
  b: GPUBuffer;
  /** Output [M,N], overwritten. */
  c: GPUBuffer;
  /** Optional [N], added to every row. */
  bias?: GPUBuffer;
  M: number;
  N: number;
  K: number;
  transA?: boolean;
  transB?: boolean;
  relu?: boolean;
  /** Tiling override (benchmarks, tuning); defaults per variant. */
  tile?: Partial<MatmulTile>;
  /** Force a variant (tests); by default vec4 whenever the shape allows it. */
  variant?: 'vec4' | 'scalar';
}

/** Whether matmul.wgsl (vec4 loads) can run this shape: every vec4-read row length a multiple of 4. */
export function matmulVec4Fits(a: { M: number; N: number; K: number; transA?: boolean }): boolean {
  return a.K % 4 === 0 && a.N % 4 === 0 && (!a.transA || a.M % 4 === 0);
}

function checkTile(name: string, t: MatmulTile, vec4: boolean): void {
  const ok =
    t.TM >= 1 && t.TN >= 1 && t.TM <= 16 && t.TN <= 16 && t.TM * t.TN <= 128 && (!vec4 || (t.TM % 4 === 0 && t.TN % 4 === 0));
  if (!ok) throw new KernelLimitError(`${name}: register tile ${t.TM}×${t.TN} not supported (TM, TN ≤ 16, TM·TN ≤ 128${vec4 ? ', multiples of 4' : ''})`);
}

/** C = op(A)·op(B) (+ bias) (then ReLU). */
export async function matmul(gpu: Gpu, a: MatmulArgs): Promise<BoundKernel> {
  const { M, N, K } = a;
  if (M < 1 || N < 1 || K < 1) throw new Error(`matmul: empty product ${M}×${N}×${K}`);
  const vec4 = (a.variant ?? (matmulVec4Fits(a) ? 'vec4' : 'scalar')) === 'vec4';
  if (vec4 && !matmulVec4Fits(a)) throw new Error(`matmul: vec4 variant needs K, N${a.transA ? ', M' : ''} multiples of 4 (got M=${M} N=${N} K=${K})`);
  const spec = vec4 ? matmulSpec : matmulScalarSpec;
  const tile: MatmulTile = { TM: spec.overrides.TM, TN: spec.overrides.TN, WGX: spec.overrides.WGX, WGY: spec.overrides.WGY, ...a.tile };
  checkTile(spec.name, tile, vec4);
  const flags = { TRANS_A: a.transA ? 1 : 0, TRANS_B: a.transB ? 1 : 0, HAS_BIAS: a.bias ? 1 : 0, RELU: a.relu ? 1 : 0 };
  const p = await gpu.prepare(spec, { ...flags, ...tile });
  const groups: [number, number, number] = [Math.ceil(N / (tile.TN * tile.WGX)), Math.ceil(M / (tile.TM * tile.WGY)), 1];
  return gpu.bind(p, { M, N, K }, [a.a, a.b, a.bias ?? a.a, a.c], groups);
}
