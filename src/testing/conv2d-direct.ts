// Why: the direct convolution forward and filter-gradient kernels (masks in the loop, no padded copy, no
// tables): the plainest GPU formulation, kept as a second GPU reference beside the float64 one for the
// kernel tests and as a baseline in the kernel benchmarks. Training never runs them: the strategy
// (kernels/conv2d-strategy.ts) picks igemm, gemm or rows. (The direct input gradient stays in
// kernels/: the software profile runs it where the GEMM does not fit, e.g. stride 2.)
import forwardSource from '../../shaders/conv2d.wgsl?raw';
import gradWeightSource from '../../shaders/conv2d-grad-weight.wgsl?raw';
import { defineKernel, KernelGroup, type BoundKernel, type Gpu } from '../gpu';
import { checkConvShape, convParams, convParamValues, convTile } from '../kernels/conv2d-shape';
import { conv2d, type Conv2dArgs } from '../kernels/conv2d';
import { conv2dGradWeight, gradWeightSplits, type Conv2dGradWeightArgs } from '../kernels/conv2d-grad-weight';
import type { ConvVariant } from '../kernels/conv2d-strategy';
import { convGradFromSplits } from '../kernels/reduce-sum-rows';

const conv2dDirectSpec = defineKernel({
  name: 'conv2d',
  source: forwardSource,
  params: convParams,
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'w', access: 'read' },
    { name: 'b', access: 'read' },
    { name: 'y', access: 'read_write' },
  ],
  overrides: { HAS_BIAS: 0, RELU: 0, RK: 4, TP: 2, WGX: 8, WGY: 8 },
  workgroupSize: (o) => [o.WGX, o.WGY, 1],
});

const conv2dGradWeightDirectSpec = defineKernel({
  name: 'conv2d-grad-weight',
  source: gradWeightSource,
  params: { ...convParams, NB: 'u32' },
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'dy', access: 'read' },
    { name: 'part', access: 'read_write' },
  ],
  overrides: { HAS_BIAS: 0, RK: 4, TJ: 2, WGX: 8, WGY: 8 },
  workgroupSize: (o) => [o.WGX, o.WGY, 1],
});

/** y = conv(x, w) (+ b) (then ReLU), by conv2d.wgsl (no fused pooling). */
export async function conv2dDirect(gpu: Gpu, a: Omit<Conv2dArgs, 'variant' | 'padded' | 'pool'>): Promise<BoundKernel> {
  checkConvShape('conv2d', a);
  const pv = convParamValues(a);
  const quads = a.N * pv.OH * Math.ceil(pv.OW / 4);
  const t = convTile(a.K, quads, a.tile);
  const p = await gpu.prepare(conv2dDirectSpec, { HAS_BIAS: a.b ? 1 : 0, RELU: a.relu ? 1 : 0, RK: t.blocks, TP: t.quads, WGX: t.WGX, WGY: t.WGY });
  const groups: [number, number, number] = [Math.ceil(quads / (t.quads * t.WGX)), Math.ceil(a.K / (4 * t.blocks * t.WGY)), 1];
  return gpu.bind(p, pv, [a.x, a.w, a.b ?? a.w, a.y], groups);
}

/** dw (and db) by conv2d-grad-weight.wgsl, which computes db as a column of ones beside the taps. */
export async function conv2dGradWeightDirect(gpu: Gpu, a: Omit<Conv2dGradWeightArgs, 'variant' | 'padded'>): Promise<KernelGroup> {
  checkConvShape('conv2d-grad-weight', a);
  const crs = a.C * a.FH * a.FW;
  const { t, groupsXY, NB, splits, part } = gradWeightSplits(gpu, a, crs + (a.db ? 1 : 0));
  const p = await gpu.prepare(conv2dGradWeightDirectSpec, { HAS_BIAS: a.db ? 1 : 0, RK: t.blocks, TJ: t.quads, WGX: t.WGX, WGY: t.WGY });
  const parts = [gpu.bind(p, { ...convParamValues(a), NB }, [a.x, a.dy, part], [groupsXY[0], groupsXY[1], splits])];
  parts.push(...(await convGradFromSplits(gpu, { part, splits, K: a.K, crs, dw: a.dw, db: a.db })));
  return new KernelGroup(gpu, parts, [part]);
}

/** Tables that run every variant: 'direct' here, the others through the kernels' entry points. */
type AnyVariant<A> = Omit<A, 'variant'> & { variant?: ConvVariant };

export function conv2dAnyVariant(gpu: Gpu, a: AnyVariant<Conv2dArgs>): ReturnType<typeof conv2d> {
  if (a.variant !== 'direct') return conv2d(gpu, { ...a, variant: a.variant });
  if (a.pool) throw new Error('conv2d: the fused max-pool needs the gemm, rows or igemm variant');
  return conv2dDirect(gpu, a);
}

export const conv2dGradWeightAnyVariant = (gpu: Gpu, a: AnyVariant<Conv2dGradWeightArgs>) =>
  a.variant === 'direct' ? conv2dGradWeightDirect(gpu, a) : conv2dGradWeight(gpu, { ...a, variant: a.variant });
