// Why: batch normalisation forward, training and eval. Training is two dispatches (per-channel
// statistics with the running-stat update, then the element-wise normalisation), so it returns a
// KernelGroup; eval is the same normalisation kernel reading the running statistics.
import statsSource from '../../shaders/batch-norm-stats.wgsl?raw';
import applySource from '../../shaders/batch-norm-apply.wgsl?raw';
import { defineKernel, KernelGroup, splitGrid, type BoundKernel, type BufferBinding, type Gpu } from '../gpu';

const ELEMENTS_PER_THREAD = 4;

/** The per-channel reductions use a tree over the workgroup: its size must be a power of two. */
export function reductionWorkgroup(name: string, wg: number): readonly [number, number, number] {
  if (!Number.isInteger(wg) || wg < 1 || (wg & (wg - 1)) !== 0) throw new Error(`${name}: WG must be a power of two, got ${wg}`);
  return [wg, 1, 1];
}

export const batchNormStatsSpec = defineKernel({
  name: 'batch-norm-stats',
  source: statsSource,
  params: { N: 'u32', C: 'u32', HW: 'u32', momentum: 'f32', epsilon: 'f32' } as const,
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'mean', access: 'read_write' },
    { name: 'invStd', access: 'read_write' },
    { name: 'runningMean', access: 'read_write' },
    { name: 'runningVar', access: 'read_write' },
  ],
  overrides: { WG: 256 },
  workgroupSize: (o) => reductionWorkgroup('batch-norm-stats', o.WG),
  workgroupBytes: (o) => o.WG * 4,
});

export const batchNormApplySpec = defineKernel({
  name: 'batch-norm-apply',
  source: applySource,
  params: { N: 'u32', C: 'u32', HW: 'u32', epsilon: 'f32' } as const,
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'mean', access: 'read' },
    { name: 'stat', access: 'read' },
    { name: 'gamma', access: 'read' },
    { name: 'beta', access: 'read' },
    { name: 'y', access: 'read_write' },
  ],
  overrides: { WG: 256, EVAL: 0 },
  workgroupSize: (o) => [o.WG, 1, 1],
});

/** NCHW sizes: a dense [N, F] tensor is C = F, HW = 1. Statistics are per channel over M = N·HW values. */
export interface BatchNormSize {
  N: number;
  C: number;
  /** H·W of the feature map (1 for a dense layer). */
  HW: number;
}

/** Throws with the kernel's name when sizes are not positive integers or the tensor overflows u32 indexing. */
export function checkBatchNormSize(name: string, { N, C, HW }: BatchNormSize): void {
  for (const [k, v] of [['N', N], ['C', C], ['HW', HW]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name}: ${k} must be a positive integer, got ${v}`);
  }
  if (N * C * HW > 0xffffffff) throw new Error(`${name}: N·C·HW = ${N * C * HW} exceeds u32 indexing`);
}

/** Workgroups for an element-wise pass of 4 elements per thread. */
export function elementwiseGrid(n: number, wg: number): [number, number, number] {
  return splitGrid(Math.ceil(n / (wg * ELEMENTS_PER_THREAD)));
}

export interface BatchNormTrainArgs extends BatchNormSize {
  x: BufferBinding;
  gamma: BufferBinding;
  beta: BufferBinding;
  /** Output, N·C·HW floats; must not be x. */
  y: BufferBinding;
  /** Written: per-channel batch mean and 1/sqrt(biased var + epsilon), C floats each, kept for the backward. */
  mean: BufferBinding;
  invStd: BufferBinding;
  /** Updated in place: running = (1 − momentum)·running + momentum·batch (unbiased variance). */
  runningMean: BufferBinding;
  runningVar: BufferBinding;
  /** PyTorch convention, default 0.1; 0 leaves the running statistics untouched. */
  momentum?: number;
  /** Default 1e-5. */
  epsilon?: number;
}

/**
 * Training forward: batch statistics (one workgroup per channel, two-pass) and running-stat update,
 * then y = gamma·(x − mean)·invStd + beta. Each replay of the group updates the running stats once.
 */
export async function batchNormTrain(gpu: Gpu, a: BatchNormTrainArgs): Promise<KernelGroup> {
  checkBatchNormSize('batch-norm-train', a);
  const epsilon = a.epsilon ?? 1e-5;
  const [ps, pa] = await Promise.all([gpu.prepare(batchNormStatsSpec), gpu.prepare(batchNormApplySpec, { EVAL: 0 })]);
  const stats = gpu.bind(ps, { N: a.N, C: a.C, HW: a.HW, momentum: a.momentum ?? 0.1, epsilon }, [a.x, a.mean, a.invStd, a.runningMean, a.runningVar], [a.C, 1, 1]);
  const apply = gpu.bind(pa, { N: a.N, C: a.C, HW: a.HW, epsilon }, [a.x, a.mean, a.invStd, a.gamma, a.beta, a.y], elementwiseGrid(a.N * a.C * a.HW, pa.overrides.WG!));
  return new KernelGroup(gpu, [stats, apply]);
}

export interface BatchNormEvalArgs extends BatchNormSize {
  x: BufferBinding;
  gamma: BufferBinding;
  beta: BufferBinding;
  runningMean: BufferBinding;
  runningVar: BufferBinding;
  /** Output, N·C·HW floats; must not be x. */
  y: BufferBinding;
  /** Default 1e-5. */
  epsilon?: number;
}

/** Eval forward: y = gamma·(x − runningMean)/sqrt(runningVar + epsilon) + beta; one dispatch. */
export async function batchNormEval(gpu: Gpu, a: BatchNormEvalArgs): Promise<BoundKernel> {
  checkBatchNormSize('batch-norm-eval', a);
  const p = await gpu.prepare(batchNormApplySpec, { EVAL: 1 });
  return gpu.bind(p, { N: a.N, C: a.C, HW: a.HW, epsilon: a.epsilon ?? 1e-5 }, [a.x, a.runningMean, a.runningVar, a.gamma, a.beta, a.y], elementwiseGrid(a.N * a.C * a.HW, p.overrides.WG!));
}
