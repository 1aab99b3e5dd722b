// Why: batch normalisation backward (training mode), from the mean and inv-std the forward saved. Two
// dispatches: per-channel sums (which are dgamma and dbeta themselves), then dx element-wise.
import reduceSource from '../../shaders/batch-norm-grad-reduce.wgsl?raw';
import inputSource from '../../shaders/batch-norm-grad-input.wgsl?raw';
import { defineKernel, KernelGroup, type BufferBinding, type Gpu } from '../gpu';
import { checkBatchNormSize, elementwiseGrid, reductionWorkgroup, type BatchNormSize } from './batch-norm';

const params = { N: 'u32', C: 'u32', HW: 'u32' } as const;

export const batchNormGradReduceSpec = defineKernel({
  name: 'batch-norm-grad-reduce',
  source: reduceSource,
  params,
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'dy', access: 'read' },
    { name: 'mean', access: 'read' },
    { name: 'invStd', access: 'read' },
    { name: 'dgamma', access: 'read_write' },
    { name: 'dbeta', access: 'read_write' },
  ],
  overrides: { WG: 256 },
  workgroupSize: (o) => reductionWorkgroup('batch-norm-grad-reduce', o.WG),
  workgroupBytes: (o) => o.WG * 8,
});

export const batchNormGradInputSpec = defineKernel({
  name: 'batch-norm-grad-input',
  source: inputSource,
  params,
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'dy', access: 'read' },
    { name: 'mean', access: 'read' },
    { name: 'invStd', access: 'read' },
    { name: 'gamma', access: 'read' },
    { name: 'dgamma', access: 'read' },
    { name: 'dbeta', access: 'read' },
    { name: 'dx', access: 'read_write' },
  ],
  overrides: { WG: 256 },
  workgroupSize: (o) => [o.WG, 1, 1],
});

export interface BatchNormGradArgs extends BatchNormSize {
  /** The forward's input and the upstream gradient, N·C·HW floats. */
  x: BufferBinding;
  dy: BufferBinding;
  gamma: BufferBinding;
  /** Saved by batchNormTrain, C floats each. */
  mean: BufferBinding;
  invStd: BufferBinding;
  /** Written (overwritten, not accumulated): N·C·HW floats; must not be x or dy. */
  dx: BufferBinding;
  /** Written (overwritten, not accumulated): C floats each. */
  dgamma: BufferBinding;
  dbeta: BufferBinding;
}

/** dbeta = Σdy, dgamma = Σdy·x̂, then dx = gamma·invStd·(dy − dbeta/M − x̂·dgamma/M). */
export async function batchNormGrad(gpu: Gpu, a: BatchNormGradArgs): Promise<KernelGroup> {
  checkBatchNormSize('batch-norm-grad', a);
  const [pr, pi] = await Promise.all([gpu.prepare(batchNormGradReduceSpec), gpu.prepare(batchNormGradInputSpec)]);
  const size = { N: a.N, C: a.C, HW: a.HW };
  const reduce = gpu.bind(pr, size, [a.x, a.dy, a.mean, a.invStd, a.dgamma, a.dbeta], [a.C, 1, 1]);
  const input = gpu.bind(pi, size, [a.x, a.dy, a.mean, a.invStd, a.gamma, a.dgamma, a.dbeta, a.dx], elementwiseGrid(a.N * a.C * a.HW, pi.overrides.WG!));
  return new KernelGroup(gpu, [reduce, input]);
}
