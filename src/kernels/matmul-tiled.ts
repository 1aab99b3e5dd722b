// Why: dense layers on hardware GPUs: the matmul with both operand blocks staged in workgroup memory
// (matmul-tiled.wgsl), vec4 loads along the stored rows where their lengths allow, bias + ReLU fused.
import source from '../../shaders/matmul-tiled.wgsl?raw';
import { defineKernel, type BoundKernel, type BufferBinding, type Gpu } from '../gpu';
import { matmulTiledWGY } from './matmul-strategy';
import { bindWithPlaceholders } from './owned-kernel';

export const matmulTiledSpec = defineKernel({
  name: 'matmul-tiled',
  source,
  params: { M: 'u32', N: 'u32', K: 'u32' },
  bindings: [
    { name: 'a', access: 'read' },
    { name: 'a4', access: 'read' },
    { name: 'b', access: 'read' },
    { name: 'b4', access: 'read' },
    { name: 'bias', access: 'read' },
    { name: 'c', access: 'read_write' },
  ],
  overrides: { TRANS_A: 0, TRANS_B: 0, HAS_BIAS: 0, RELU: 0, VEC_A: 0, VEC_B: 0, WGY: 16 },
  workgroupSize: (o) => [16, o.WGY, 1],
  workgroupBytes: () => 2 * 1024 * 4,
  accumulators: () => 16,
});

export interface MatmulTiledArgs {
  a: BufferBinding;
  b: BufferBinding;
  c: BufferBinding;
  bias?: BufferBinding;
  M: number;
  N: number;
  K: number;
  transA?: boolean;
  transB?: boolean;
  relu?: boolean;
  WGY?: number;
}

/** C = op(A)·op(B) (+ bias) (then ReLU) with workgroup-memory tiles of (4·WGY) × 64 outputs. */
export async function matmulTiled(gpu: Gpu, a: MatmulTiledArgs): Promise<BoundKernel> {
  const { M, N, K } = a;
  // vec4 loads along each operand's stored rows: their length must be a multiple of 4.
  const vecA = (a.transA ? M : K) % 4 === 0;
  const vecB = (a.transB ? K : N) % 4 === 0;
  const WGY = a.WGY ?? matmulTiledWGY(gpu, M);
  const flags = { TRANS_A: a.transA ? 1 : 0, TRANS_B: a.transB ? 1 : 0, HAS_BIAS: a.bias ? 1 : 0, RELU: a.relu ? 1 : 0, VEC_A: vecA ? 1 : 0, VEC_B: vecB ? 1 : 0, WGY };
  const p = await gpu.prepare(matmulTiledSpec, flags);
  const groups: [number, number, number] = [Math.ceil(N / 64), Math.ceil(M / (4 * WGY)), 1];
  return bindWithPlaceholders(gpu, p, { M, N, K }, [a.a, vecA ? a.a : undefined, a.b, vecB ? a.b : undefined, a.bias, a.c], groups);
}
